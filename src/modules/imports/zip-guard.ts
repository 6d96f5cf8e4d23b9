// Checks an uploaded xlsx against the limits of src/domain/imports/limits.ts before any workbook reader
// inflates it. ExcelJS (both its streaming reader and Workbook.load) inflates whatever the zip holds, so
// a 12 MB file unpacking to 5 GB ran the server out of memory. Here:
//   1. the central directory is read (a few KB at the end of the file): entry count, each entry's
//      unpacked size and ratio, the total — a bomb is refused in milliseconds, nothing inflated;
//   2. the entries must lie one after the other as the directory says, with the same names in their
//      local headers (a streaming reader follows local headers, so nothing may hide between them);
//   3. one counting pass inflates each entry, discarding the output, and refuses as soon as an entry
//      unpacks to more than its directory entry declared (sizes can lie), counting shared strings and
//      each sheet's rows and cells on the way, so the readers afterwards only ever see a file within
//      the limits.
// Memory stays at one chunk per entry whatever the file holds.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { limitMessage, type XlsxLimits } from '../../domain/imports/limits.ts';
import type { MemoryShare } from './xlsx-share.ts';

export class XlsxRefused extends Error {
  constructor(
    readonly limit: keyof XlsxLimits | 'structure',
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

interface Source {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<Source> {
  const handle = await fs.promises.open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

function bufferSource(data: Buffer): Source {
  return {
    size: data.length,
    read: async (offset, length) => data.subarray(offset, Math.min(data.length, offset + length)),
    close: async () => undefined,
  };
}

const broken = (detailZh: string, detailEn: string) =>
  new XlsxRefused(
    'structure',
    `无法读取该 xlsx 文件（${detailZh}）；请确认文件未损坏、未加密`,
    `Cannot read this xlsx file (${detailEn}); check that it is not damaged or encrypted`,
  );

interface Entry {
  name: string;
  method: number;
  flags: number;
  packed: number;
  unpacked: number;
  offset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const FULL32 = 0xffffffff;
/** data descriptors a writer may put after an entry's data (with or without signature, zip64 or not) */
const DESCRIPTOR_SIZES = [12, 16, 20, 24];

async function centralDirectory(
  src: Source,
  limits: XlsxLimits,
): Promise<{ entries: Entry[]; cdOffset: number }> {
  const tailSize = Math.min(src.size, 22 + 0xffff);
  const tail = await src.read(src.size - tailSize, tailSize);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw broken('不是有效的 zip 文件', 'not a valid zip file');
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdSize === FULL32 || cdOffset === FULL32) {
    // zip64: only needed beyond 65,535 entries or 4 GB, both far past the limits
    const m = limitMessage('maxTotalBytes', 4 * 1024 ** 3, limits.maxTotalBytes, '');
    throw new XlsxRefused('maxTotalBytes', m.zh, m.en);
  }
  if (count > limits.maxEntries) {
    const m = limitMessage('maxEntries', count, limits.maxEntries, '');
    throw new XlsxRefused('maxEntries', m.zh, m.en);
  }
  if (cdOffset + cdSize > src.size) throw broken('目录越界', 'directory beyond the end of the file');
  const cd = await src.read(cdOffset, cdSize);
  const entries: Entry[] = [];
  let p = 0;
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw broken('目录损坏', 'damaged directory');
    const nameLength = cd.readUInt16LE(p + 28);
    const e: Entry = {
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      packed: cd.readUInt32LE(p + 20),
      unpacked: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
      name: cd.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
    };
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    if (e.flags & 1) throw broken('文件已加密', 'the file is encrypted');
    if (e.method !== 0 && e.method !== 8)
      throw broken(`压缩方式 ${e.method}`, `compression method ${e.method}`);
    // a zip64 size (0xffffffff) is at least 4 GB: past every limit
    const unpacked = e.unpacked === FULL32 || e.packed === FULL32 ? 4 * 1024 ** 3 : e.unpacked;
    checkSize(e.name, unpacked, e.packed, limits);
    total += unpacked;
    if (total > limits.maxTotalBytes) {
      const m = limitMessage('maxTotalBytes', total, limits.maxTotalBytes, '');
      throw new XlsxRefused('maxTotalBytes', m.zh, m.en);
    }
    entries.push(e);
  }
  return { entries, cdOffset };
}

const isSharedStrings = (name: string) => /^\/?xl\/sharedstrings\.xml$/i.test(name);
const isSheet = (name: string) => /^\/?xl\/worksheets\/[^/]+\.xml$/i.test(name);
const sheetLabel = (name: string) => name.replace(/^.*\//, '').replace(/\.xml$/i, '');

function checkSize(name: string, unpacked: number, packed: number, limits: XlsxLimits) {
  if (unpacked > limits.maxEntryBytes) {
    const m = limitMessage('maxEntryBytes', unpacked, limits.maxEntryBytes, name);
    throw new XlsxRefused('maxEntryBytes', m.zh, m.en);
  }
  if (isSharedStrings(name) && unpacked > limits.maxSharedStringsBytes) {
    const m = limitMessage('maxSharedStringsBytes', unpacked, limits.maxSharedStringsBytes, name);
    throw new XlsxRefused('maxSharedStringsBytes', m.zh, m.en);
  }
  if (unpacked > limits.ratioFloorBytes && unpacked / Math.max(1, packed) > limits.maxRatio) {
    const m = limitMessage('maxRatio', unpacked / Math.max(1, packed), limits.maxRatio, name);
    throw new XlsxRefused('maxRatio', m.zh, m.en);
  }
}

/** \s of a regular expression over latin1 text: tab, line feed, vertical tab, form feed, return, space, NBSP. */
const isTagSpace = (b: number) => (b >= 9 && b <= 13) || b === 32 || b === 0xa0;
/** \w: a name character of a namespace prefix. */
const isWord = (b: number) =>
  (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95;

/**
 * Counts XML start tags of some names (`<row`, `<x:row` …, followed by a space, `>` or `/`) in the bytes
 * as they come, a tag cut by a chunk boundary counted once. Byte by byte from each `<` (indexOf), not a
 * regular expression over a latin1 copy of every chunk: a sheet of a million rows is several hundred MB.
 */
export class TagCounter {
  readonly counts: number[];
  private readonly names: Buffer[];
  private carry: Buffer = Buffer.alloc(0);
  constructor(names: readonly string[]) {
    this.names = names.map((n) => Buffer.from(n, 'latin1'));
    this.counts = names.map(() => 0);
  }
  feed(chunk: Buffer) {
    // a tag cut at the end of the last chunk is whole with the next one's start
    const carried = this.carry.length;
    const buf = carried ? Buffer.concat([this.carry, chunk]) : chunk;
    const n = buf.length;
    let last = -1;
    for (let lt = buf.indexOf(60); lt >= 0; lt = buf.indexOf(60, lt + 1)) {
      last = lt;
      let i = lt + 1;
      // an optional prefix: \w+ ':'
      let j = i;
      while (j < n && isWord(buf[j]!)) j++;
      if (j < n && buf[j] === 58 && j > i) i = j + 1;
      for (let k = 0; k < this.names.length; k++) {
        const name = this.names[k]!;
        const end = i + name.length;
        if (end >= n) continue;
        if (!isTagSpace(buf[end]!) && buf[end] !== 62 && buf[end] !== 47) continue;
        // byte by byte: the names are a letter or three, and Buffer.compare's call cost more than the
        // comparing (a quarter of a second of a 100,000-row sheet's guard, CPU profile)
        let same = true;
        for (let b = 0; b < name.length && same; b++) same = buf[i + b] === name[b];
        if (!same) continue;
        // a match wholly in the carried bytes was counted with the previous chunk
        if (end >= carried) this.counts[k]!++;
      }
    }
    // the bytes from the last '<' on (at most 24) may be a tag the next chunk completes
    const from = last >= 0 && n - last <= 24 ? last : n;
    this.carry = Buffer.from(buf.subarray(from));
  }
}

/** An entry's inflated bytes kept for the reader: its name (as in the zip) and its pieces. */
export interface KeptPart {
  name: string;
  chunks: Buffer[];
}

/**
 * What the guard keeps of what it inflates, for the reader to read instead of inflating the zip again:
 * the entries `wanted` names, while their bytes fit in what is left of `share` (taken as they are kept).
 */
export interface GuardKeep {
  wanted: (name: string) => boolean;
  share: MemoryShare;
}

/** The parts kept so far (null once they outgrew the share: all let go, the reader inflates the zip). */
class Keeper {
  parts: KeptPart[] | null = [];
  private held = 0;
  constructor(private readonly keep: GuardKeep) {}
  /** the list an entry's pieces go to, or null when it is not kept */
  start(name: string): Buffer[] | null {
    if (!this.parts || !this.keep.wanted(name)) return null;
    const part = { name, chunks: [] as Buffer[] };
    this.parts.push(part);
    return part.chunks;
  }
  /** keeps a piece; false (and everything let go) when it does not fit */
  add(chunks: Buffer[], chunk: Buffer): boolean {
    if (!this.parts) return false;
    if (chunk.length > this.keep.share.left) {
      this.release();
      return false;
    }
    this.keep.share.left -= chunk.length;
    this.held += chunk.length;
    chunks.push(chunk);
    return true;
  }
  release() {
    this.keep.share.left += this.held;
    this.held = 0;
    for (const p of this.parts ?? []) p.chunks.length = 0;
    this.parts = null;
  }
}

/** One entry inflated and counted; refused as soon as it outgrows its declared size or a limit. */
async function verifyEntry(
  src: Source,
  e: Entry,
  dataStart: number,
  limits: XlsxLimits,
  keeper: Keeper | null,
) {
  let kept = keeper?.start(e.name) ?? null;
  const label = sheetLabel(e.name);
  const tags = isSheet(e.name)
    ? new TagCounter(['row', 'c'])
    : isSharedStrings(e.name)
      ? new TagCounter(['si'])
      : null;
  const CHUNK = 1 << 20;
  async function* packed() {
    for (let at = 0; at < e.packed; at += CHUNK) {
      const buf = await src.read(dataStart + at, Math.min(CHUNK, e.packed - at));
      if (buf.length === 0) throw broken('文件被截断', 'the file is cut short');
      yield buf;
    }
  }
  let out = 0;
  // pipeline reports a failing last step as an abort: the refusal itself is kept here
  let refused: XlsxRefused | null = null;
  const refuse = (e: XlsxRefused) => {
    refused = e;
    return e;
  };
  // 256 KiB out at a time, not zlib's 16 KiB: a sixteenth of the calls into zlib and the counting
  const inflate = e.method === 8 ? zlib.createInflateRaw({ chunkSize: 256 * 1024 }) : null;
  const consume = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      out += chunk.length;
      if (kept && !keeper!.add(kept, chunk)) kept = null;
      if (out > e.unpacked) {
        throw refuse(
          broken(`${e.name} 解压后大于其声明的大小`, `${e.name} unpacks to more than its declared size`),
        );
      }
      if (tags) {
        tags.feed(chunk);
        const sheet = isSheet(e.name);
        const rows = sheet ? tags.counts[0]! : 0;
        const cells = sheet ? tags.counts[1]! : 0;
        const strings = sheet ? 0 : tags.counts[0]!;
        if (rows > limits.maxRowsPerSheet) {
          const m = limitMessage('maxRowsPerSheet', limits.maxRowsPerSheet, limits.maxRowsPerSheet, label);
          throw refuse(new XlsxRefused('maxRowsPerSheet', m.zh, m.en));
        }
        if (cells > limits.maxCellsPerSheet) {
          const m = limitMessage('maxCellsPerSheet', limits.maxCellsPerSheet, limits.maxCellsPerSheet, label);
          throw refuse(new XlsxRefused('maxCellsPerSheet', m.zh, m.en));
        }
        if (strings > limits.maxSharedStrings) {
          const m = limitMessage('maxSharedStrings', strings, limits.maxSharedStrings, e.name);
          throw refuse(new XlsxRefused('maxSharedStrings', m.zh, m.en));
        }
      }
    }
  };
  try {
    if (inflate) await pipeline(Readable.from(packed()), inflate, consume);
    else await consume(packed());
  } catch (error) {
    const kept = refused as XlsxRefused | null;
    if (kept) throw kept;
    if (error instanceof XlsxRefused) throw error;
    throw broken(`${e.name}：${(error as Error).message}`, `${e.name}: ${(error as Error).message}`);
  }
  // the packed data must end exactly where the directory says (a streaming reader would go on reading)
  if (out !== e.unpacked || (inflate && inflate.bytesWritten !== e.packed)) {
    throw broken(`${e.name} 的大小与目录不符`, `${e.name} does not match its size in the directory`);
  }
}

/**
 * Refuses (XlsxRefused, with the limit named in both languages) an xlsx beyond the limits; returns
 * quietly for one within them. Takes the stored upload's path or the uploaded bytes. With `keep`, answers
 * the inflated bytes of the entries it names, in zip order, when they all fit in its share (else null);
 * a refused file keeps nothing.
 */
export async function guardXlsx(
  file: string | Buffer,
  limits: XlsxLimits,
  keep?: GuardKeep,
): Promise<KeptPart[] | null> {
  const keeper = keep ? new Keeper(keep) : null;
  let done = false;
  const src = typeof file === 'string' ? await fileSource(file) : bufferSource(file);
  try {
    const { entries, cdOffset } = await centralDirectory(src, limits);
    const ordered = [...entries].sort((a, b) => a.offset - b.offset);
    let expected = 0;
    for (let i = 0; i < ordered.length; i++) {
      const e = ordered[i]!;
      if (e.offset !== expected) throw broken('条目之间有未列出的数据', 'unlisted data between entries');
      const head = await src.read(e.offset, 30);
      if (head.length < 30 || head.readUInt32LE(0) !== LOCAL)
        throw broken('条目头损坏', 'damaged entry header');
      const nameLength = head.readUInt16LE(26);
      const extraLength = head.readUInt16LE(28);
      const localName = (await src.read(e.offset + 30, nameLength)).toString('utf8');
      if (localName !== e.name) throw broken('条目名称与目录不符', 'entry name differs from the directory');
      const hasDescriptor = (head.readUInt16LE(6) & 8) !== 0;
      if (!hasDescriptor && (head.readUInt32LE(18) !== e.packed || head.readUInt16LE(8) !== e.method)) {
        throw broken('条目头与目录不符', 'entry header differs from the directory');
      }
      const dataStart = e.offset + 30 + nameLength + extraLength;
      const dataEnd = dataStart + e.packed;
      const next = i + 1 < ordered.length ? ordered[i + 1]!.offset : cdOffset;
      if (!(hasDescriptor ? DESCRIPTOR_SIZES : [0]).includes(next - dataEnd)) {
        throw broken('条目之间有未列出的数据', 'unlisted data between entries');
      }
      await verifyEntry(src, e, dataStart, limits, keeper);
      expected = next;
    }
    done = true;
    return keeper?.parts ?? null;
  } finally {
    if (!done) keeper?.release();
    await src.close();
  }
}
