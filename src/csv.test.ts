import { describe, expect, it } from 'vitest';
import { csvCell, looksLikeFormula } from './csv.ts';

describe('csvCell', () => {
  it('gives a text a spreadsheet would run as a formula a leading apostrophe', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+86 573 8888')).toBe("'+86 573 8888");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    // quoted as before once neutralised
    expect(csvCell('=HYPERLINK("http://example.invalid","x")')).toBe(
      `"'=HYPERLINK(""http://example.invalid"",""x"")"`,
    );
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvCell('-')).toBe("'-");
  });

  it('keeps numbers, and texts that are plain numbers, as they are', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(1e-7)).toBe('1e-7');
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('+3')).toBe('+3');
    expect(csvCell('-1.5e-3')).toBe('-1.5e-3');
    expect(csvCell('-.5')).toBe('-.5');
    expect(looksLikeFormula('-1-1')).toBe(true);
    expect(looksLikeFormula('-1e')).toBe(true);
  });

  it('writes every other cell as before: empty for none, quoted only when it must be', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('嘉兴某纺织有限公司')).toBe('嘉兴某纺织有限公司');
    expect(csvCell('海宁,皮革')).toBe('"海宁,皮革"');
    expect(csvCell('Quote "Ltd"')).toBe('"Quote ""Ltd"""');
    expect(csvCell('Line\nbreak')).toBe('"Line\nbreak"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(" '=x")).toBe(" '=x");
  });
});
