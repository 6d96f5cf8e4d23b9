// The bytes of inflated xlsx parts the reads of this process hold in memory, all of them together: the
// zip guard's inflated parts kept for the read (zip-guard.ts) and the sheets the read's zip loop parks
// (xlsx-temp.ts) take from this one share. Its own module, without ExcelJS: the guard runs before the
// reader (and ExcelJS) is loaded, and a csv import loads neither.

/**
 * Bytes of parked sheets the reads of this process hold in memory, all of them together; what comes past them
 * is parked in files. A 100,000-row sheet (39 MB of XML) was written out and read back, ≈ 0.2 s of CPU and its
 * wait on the disk before the first row (issue 13); a sheet of a few hundred thousand rows still goes to a
 * file, as every sheet did. One share for the process, not one per read: a burst of uploads of large
 * workbooks holds no more than this at once (the rest wait on the disk, as before).
 */
export const PARK_IN_MEMORY = 64 * 1024 * 1024;

/** What is left of a share: taken as bytes are held, given back as they are read or let go. */
export interface MemoryShare {
  left: number;
}

export const processShare: MemoryShare = { left: PARK_IN_MEMORY };

/** Bytes the reads of this process hold in memory now (parked sheets and kept parts not yet read). */
export const parkedInMemory = (): number => PARK_IN_MEMORY - processShare.left;

/** The share a read takes from: the process's, or one of its own of `inMemory` bytes (tests; 0: none). */
export const shareOf = (inMemory: number | undefined): MemoryShare =>
  inMemory === undefined ? processShare : { left: inMemory };

/** Gives a list of held pieces back to the share it took them from (the list is emptied: given back once). */
export function giveBack(share: MemoryShare, chunks: Buffer[]): void {
  for (const c of chunks.splice(0)) share.left += c.length;
}

/** An xlsx worksheet's part; its number is the first group. */
export const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** The parts of an xlsx its read takes (xlsx-temp.ts): the workbook, its relations, the shared strings, the sheets. */
export const readsPart = (name: string): boolean =>
  name === 'xl/workbook.xml' ||
  name === 'xl/_rels/workbook.xml.rels' ||
  name === 'xl/sharedStrings.xml' ||
  SHEET_PART.test(name);
