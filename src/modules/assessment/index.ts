// Public entry of the county assessment (目标考核, issue 16 items 6–8).
export { publishDemoAssessment } from './demo.ts';
