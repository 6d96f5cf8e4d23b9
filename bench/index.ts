// `npm run bench`: runs each benchmark listed here in turn (one line per capability).
const BENCHES = ['./evaluation.ts', './monitoring.ts', './imports.ts', './chains.ts'];

for (const file of BENCHES) await import(file);

export {};
