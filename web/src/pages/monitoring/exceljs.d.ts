// The browser build of exceljs is loaded as a separate file (see exporting.ts), never bundled.
declare module 'exceljs/dist/exceljs.min.js?url' {
  const url: string;
  export default url;
}
