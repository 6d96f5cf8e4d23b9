// Public entry of the county assessment (目标考核, issue 16 items 6–8).
export { publishDemoAssessment } from './demo.ts';
// The kind of the assessment's editions (the home page counts those awaiting a second signature).
export { ASSESSMENT_KIND } from './scheme.ts';
