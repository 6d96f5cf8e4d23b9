// The monthly bulletin's pure logic: templates as data, placeholders, the view both files are made of.
export * from './template.ts';
export * from './placeholders.ts';
export * from './data.ts';
export * from './view.ts';
