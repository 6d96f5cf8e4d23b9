// copiedTuples (copy-out.ts) on a binary COPY stream built here, cut into chunks of every kind: a tuple cut by
// a chunk's end is completed from the next chunks (only its own bytes copied), however small the chunks and
// however large the tuple (a part of the next chunk doubled until the tuple ends in it).
import { describe, expect, it } from 'vitest';
import { copiedTuples, type CopiedRow, type CopiedType } from './copy-out.ts';

const TYPES: readonly CopiedType[] = ['int8', 'text', 'float8[]', 'code[]'];

/** A field: its length, then its bytes; null as length -1. */
function field(bytes: Buffer | null): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes ? bytes.length : -1);
  return bytes ? Buffer.concat([length, bytes]) : length;
}

/** A one-dimensional array's binary form (element type oid 0: copiedTuples does not read it). */
function array(elements: (Buffer | null)[]): Buffer {
  const head = Buffer.alloc(20);
  head.writeInt32BE(1, 0);
  head.writeInt32BE(elements.some((e) => e === null) ? 1 : 0, 4);
  head.writeInt32BE(elements.length, 12);
  head.writeInt32BE(1, 16);
  return Buffer.concat([head, ...elements.map(field)]);
}

function float8(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b;
}

function int8(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
}

/** The rows and their COPY stream: small tuples, and every fifth one of ≈ 9–20 KB (a long array). */
function stream(): { rows: CopiedRow[]; bytes: Buffer } {
  const rows: CopiedRow[] = [];
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (let i = 0; i < 60; i++) {
    const values = Array.from({ length: i % 5 === 0 ? 700 + i * 10 : i % 4 }, (_, k) =>
      k % 9 === 4 ? null : (i * 1000 + k) / 7,
    );
    const codes = i % 3 === 0 ? null : ['330402', i % 2 ? 'C1752' : '嘉兴市南湖区经开'];
    const text = i % 7 === 0 ? null : `firm ${i}\t"嘉兴"`;
    rows.push([-(i + 1) * 4294967311, text, values, codes]);
    const count = Buffer.alloc(2);
    count.writeInt16BE(TYPES.length);
    parts.push(
      count,
      field(int8(-(i + 1) * 4294967311)),
      field(text === null ? null : Buffer.from(text)),
      field(array(values.map((v) => (v === null ? null : float8(v))))),
      field(codes && array(codes.map((c) => Buffer.from(c)))),
    );
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return { rows, bytes: Buffer.concat(parts) };
}

async function decoded(chunks: Buffer[]): Promise<CopiedRow[]> {
  const got: CopiedRow[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const _ of copiedTuples(source(), TYPES, (r) => got.push([...r])));
  return got;
}

/** `bytes` cut into chunks of the sizes given in turn. */
function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('copiedTuples', () => {
  const { rows, bytes } = stream();

  it('decodes the stream whole, and cut into chunks of any size, to the same rows', async () => {
    expect(await decoded([bytes])).toEqual(rows);
    for (const sizes of [[1], [2, 3], [7], [19], [100, 1], [4095, 4097], [65536], [8, 30000, 5]])
      expect(await decoded(cut(bytes, sizes))).toEqual(rows);
  });

  it('throws when the stream ends inside a row', async () => {
    await expect(decoded(cut(bytes.subarray(0, bytes.length - 40), [1000]))).rejects.toThrow(
      'COPY ended inside a row',
    );
  });
});

describe('copiedTuples: float8[][]', () => {
  /** A two-dimensional array's binary form, rows × columns, its elements row by row. */
  function matrix(rows: (number | null)[][]): Buffer {
    const head = Buffer.alloc(28);
    head.writeInt32BE(2, 0);
    head.writeInt32BE(rows.flat().some((e) => e === null) ? 1 : 0, 4);
    head.writeInt32BE(rows.length, 12);
    head.writeInt32BE(1, 16);
    head.writeInt32BE(rows[0]!.length, 20);
    head.writeInt32BE(1, 24);
    return Buffer.concat([head, ...rows.flat().map((v) => field(v === null ? null : float8(v)))]);
  }

  it('gives its columns, each in the rows’ order, nulls kept; no dimension gives no column', async () => {
    const rows = [
      [0.1 + 0.2, null, -0, 1e308],
      [Number.MIN_VALUE, 7, null, -3.5],
      [null, 2 / 3, 5, 0],
    ];
    const count = Buffer.alloc(2);
    count.writeInt16BE(2);
    const empty = Buffer.alloc(12); // ndim 0, no null, element type
    const bytes = Buffer.concat([
      Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
      Buffer.alloc(8),
      count,
      field(int8(42)),
      field(matrix(rows)),
      count,
      field(int8(43)),
      field(empty),
      Buffer.from([0xff, 0xff]),
    ]);
    const got: CopiedRow[] = [];
    async function* source() {
      yield* cut(bytes, [5, 13, 64]);
    }
    for await (const _ of copiedTuples(source(), ['int8', 'float8[][]'], (r) => got.push([...r])));
    expect(got).toEqual([
      [42, rows[0]!.map((_, j) => rows.map((r) => r[j]))],
      [43, []],
    ]);
    expect(Object.is((got[0]![1] as number[][])[2]![0], -0)).toBe(true);
  });
});
