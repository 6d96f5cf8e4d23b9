// One cell of a CSV the platform hands to people (the downloads, the CLI's exports): the one place that
// quotes it. Not for the COPY text written into the database (src/db/client.ts csvField), which must keep
// every value as it is.
//
// A spreadsheet opening the file runs a text cell that starts with = + - @ (or TAB or CR before one) as a
// formula: a firm named "=HYPERLINK(…)" in an export would become a live link or worse ("CSV injection",
// OWASP). Such a text gets a leading apostrophe, which the spreadsheet shows as text. Numbers stay numbers:
// a number, and a text that is a plain number ('-12.5', '+3', '1e-5'), are written as they are.

// (a decimal with optional sign, point and exponent: what a spreadsheet reads as a number, not a formula)
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a spreadsheet would read this text as a formula: it starts with = + - @ TAB or CR. */
export function looksLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  // = + - @ TAB CR
  return (c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) && !NUMBER_TEXT.test(text);
}

/** A cell of an exported CSV: null and undefined empty, numbers as they are, text neutralised and quoted when it must be. */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v == null) return '';
  // numbers never need quoting: only text goes through the tests
  if (typeof v !== 'string') return String(v);
  const s = looksLikeFormula(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
