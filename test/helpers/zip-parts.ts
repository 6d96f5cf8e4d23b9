// The parts of a zip (an xlsx) as named buffers, and a zip made again from them: to take a sound workbook
// ExcelJS wrote and damage it (a part left out, a value no spreadsheet program writes). Reads the central
// directory (stored and deflated entries, no zip64): enough for the files the tests make.
import zlib from 'node:zlib';
import { plainPart, zipOf } from './zip-bombs.ts';

/** Every entry of the zip, by name, unpacked. */
export function zipParts(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const parts = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const packedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const packed = zip.subarray(dataAt, dataAt + packedSize);
    parts.set(name, method === 0 ? Buffer.from(packed) : zlib.inflateRawSync(packed));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return parts;
}

/** A zip of the parts, in their order. */
export function zipFromParts(parts: Map<string, Buffer>): Buffer {
  return zipOf([...parts].map(([name, data]) => plainPart(name, data.toString('utf8'))));
}

/** The zip again with one part changed (its text replaced) or left out (null). */
export function withPart(zip: Buffer, name: string, change: ((xml: string) => string) | null): Buffer {
  const parts = zipParts(zip);
  if (!parts.has(name)) throw new Error(`no part ${name} in the zip`);
  if (change) parts.set(name, Buffer.from(change(parts.get(name)!.toString('utf8'))));
  else parts.delete(name);
  return zipFromParts(parts);
}
