import { describe, expect, it } from 'vitest';
import { KINDS } from '../../domain/imports/columns.ts';
import type { MappedColumn } from '../../domain/imports/header.ts';
import { binaryRows } from './copy-binary.ts';
import type { GoodRow } from './pipeline.ts';
import { writeColumns } from './repo.ts';

const defs = KINDS.monthly.columns;
const columns = ['uscc', 'month', 'output_value', 'employees'].map(
  (key, index) => ({ def: defs.find((d) => d.key === key)!, index }) as unknown as MappedColumn,
);
const cols = writeColumns('monthly', ['uscc', 'month', 'output_value', 'employees']);

function row(values: GoodRow['values'], exact = 0): GoodRow {
  return { sheet: '', row: 2, values, enterpriseId: 7, cells: [], columns, exact };
}

/** The tuple's fields as [length, bytes] pairs, after its field count. */
function fields(r: GoodRow): { count: number; fields: (Buffer | null)[] } | null {
  const rows = binaryRows('monthly', cols, 3)!;
  const buf = Buffer.alloc(rows.maxBytes);
  const end = rows.write(r, new DataView(buf.buffer), 0);
  if (end < 0) return null;
  const out: (Buffer | null)[] = [];
  let at = 2;
  while (at < end) {
    const n = buf.readInt32BE(at);
    at += 4;
    out.push(n < 0 ? null : buf.subarray(at, at + n));
    if (n > 0) at += n;
  }
  return { count: buf.readInt16BE(0), fields: out };
}

describe('binary COPY tuples', () => {
  it('writes the key, the month as a date, the values and the import', () => {
    const t = fields(row({ uscc: 'x', month: '2025-01', output_value: 1.5, employees: 120 }))!;
    expect(t.count).toBe(5);
    expect(t.fields[0]!.readBigInt64BE()).toBe(7n);
    // 2025-01-01 is day 9,132 after 2000-01-01
    expect(t.fields[1]!.readInt32BE()).toBe(9132);
    expect(t.fields[2]!.readDoubleBE()).toBe(1.5);
    expect(t.fields[3]!.readInt32BE()).toBe(120);
    expect(t.fields[4]!.readBigInt64BE()).toBe(3n);
    expect(fields(row({ uscc: 'x', month: '2025-01', output_value: null, employees: null }))!.fields[2]).toBe(
      null,
    );
  });

  it('keeps the sign of a zero only where the CSV line held the cell text', () => {
    const zero = (exact: number) =>
      fields(row({ uscc: 'x', month: '2025-01', output_value: -0, employees: 0 }, exact))!.fields[2]!;
    // output_value is columns[2]: bit 2
    expect(Object.is(zero(1 << 2).readDoubleBE(), -0)).toBe(true);
    expect(Object.is(zero(0).readDoubleBE(), 0)).toBe(true);
  });

  it('leaves to CSV what the types cannot carry as it is', () => {
    expect(fields(row({ uscc: 'x', month: '2025-01', output_value: 1, employees: 2 ** 31 }))).toBe(null);
    expect(fields(row({ uscc: 'x', month: '2025-13', output_value: 1, employees: 1 }))).toBe(null);
    expect(fields(row({ uscc: 'x', month: '2025-01', output_value: 'a', employees: 1 }))).toBe(null);
    expect(binaryRows('tiers', writeColumns('tiers', ['uscc', 'tier', 'year']), 1)).toBe(null);
  });
});
