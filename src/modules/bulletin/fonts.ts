// The printed bulletin's Chinese font, cut down to the characters the page uses. Chromium's PDF writer
// cannot embed Noto CJK (CFF outlines in a font collection) as a font: it draws every glyph as a Type 3
// procedure, grouped by glyph id in blocks of 256. The system font's glyph ids are spread over 65,000,
// so a bulletin's few hundred characters made ~200 Type 3 fonts per weight and family, and the print was
// the slowest stage of a generation. A subset made here (HarfBuzz's subsetter, WebAssembly, no native
// build) numbers the used glyphs 1…n: the PDF holds a handful of Type 3 fonts and the print takes a
// fraction of the time (bench/bulletin.ts prints the stage). The page asks for "Bulletin Sans" first and
// keeps the system families behind it, so a character missing from the subset, or a machine without
// Noto CJK, still prints with the system's fonts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const PRINT_FAMILY = 'Bulletin Sans';

/** The two weights the page uses (text; headings, table heads and the watermark). */
const WEIGHTS = { 400: 'Regular', 700: 'Bold' } as const;
type Weight = keyof typeof WEIGHTS;

interface Subsetter {
  x: HbExports;
  /** per weight: the font collection's face, loaded once (the first subset parses its tables) */
  faces: Map<Weight, number | null>;
}

interface HbExports {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

let subsetter: Promise<Subsetter> | null = null;

async function load(): Promise<Subsetter> {
  const wasm = createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
  const { instance } = await WebAssembly.instantiate(await fs.promises.readFile(wasm));
  return { x: instance.exports as unknown as HbExports, faces: new Map() };
}

/** Where fontconfig finds Noto Sans CJK SC of this weight (file and index in the collection), or null. */
function locate(weight: Weight): { file: string; index: number } | null {
  try {
    const out = execFileSync(
      'fc-match',
      ['-f', '%{file}|%{index}|%{family}', `Noto Sans CJK SC:style=${WEIGHTS[weight]}`],
      { encoding: 'utf8', timeout: 5000 },
    );
    const [file, index, family] = out.split('|');
    if (!file || !family?.includes('Noto Sans CJK SC')) return null;
    return { file, index: Number(index) || 0 };
  } catch {
    return null;
  }
}

function faceOf(s: Subsetter, weight: Weight): number | null {
  if (s.faces.has(weight)) return s.faces.get(weight)!;
  const where = locate(weight);
  let face: number | null = null;
  if (where) {
    const bytes = fs.readFileSync(where.file);
    const ptr = s.x.malloc(bytes.length);
    new Uint8Array(s.x.memory.buffer).set(bytes, ptr);
    // mode 2 = writable: HarfBuzz owns the copy (kept for the process's next bulletins)
    const blob = s.x.hb_blob_create(ptr, bytes.length, 2, 0, 0);
    face = s.x.hb_face_create(blob, where.index);
    s.x.hb_blob_destroy(blob);
  }
  s.faces.set(weight, face);
  return face;
}

function subset(s: Subsetter, face: number, text: ReadonlySet<number>): Buffer | null {
  const { x } = s;
  const input = x.hb_subset_input_create_or_fail();
  if (!input) return null;
  try {
    const set = x.hb_subset_input_unicode_set(input);
    for (const cp of text) x.hb_set_add(set, cp);
    const out = x.hb_subset_or_fail(face, input);
    if (!out) return null;
    const blob = x.hb_face_reference_blob(out);
    try {
      const data = x.hb_blob_get_data(blob, 0);
      const length = x.hb_blob_get_length(blob);
      return length ? Buffer.from(new Uint8Array(x.memory.buffer, data, length)) : null;
    } finally {
      x.hb_blob_destroy(blob);
      x.hb_face_destroy(out);
    }
  } finally {
    x.hb_subset_input_destroy(input);
  }
}

/** The code points a page shows: its text outside tags, entities decoded, plus ASCII (figures, dates). */
export function pageCodePoints(...texts: string[]): Set<number> {
  const points = new Set<number>();
  for (let c = 0x20; c < 0x7f; c++) points.add(c);
  for (const t of texts) {
    const plain = t
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<[^>]*>/g, '')
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)));
    for (const ch of plain) points.add(ch.codePointAt(0)!);
  }
  return points;
}

/**
 * `@font-face` rules of "Bulletin Sans" (regular and bold) holding only these code points, as data URLs;
 * '' when Noto Sans CJK SC is not installed (the page then prints with the system's fonts, as before).
 */
export async function subsetFontFaces(points: ReadonlySet<number>): Promise<string> {
  subsetter ??= load();
  let s: Subsetter;
  try {
    s = await subsetter;
  } catch {
    subsetter = null;
    return '';
  }
  const rules: string[] = [];
  for (const w of Object.keys(WEIGHTS).map(Number) as Weight[]) {
    const face = faceOf(s, w);
    const font = face === null ? null : subset(s, face, points);
    if (font)
      rules.push(
        `@font-face { font-family: "${PRINT_FAMILY}"; font-weight: ${w === 400 ? '100 500' : '600 900'}; ` +
          `src: url(data:font/otf;base64,${font.toString('base64')}) format("opentype"); }`,
      );
  }
  return rules.join('\n');
}

/**
 * Loads the subsetter and both faces and cuts one subset (the first one parses the font's tables: ~0.4 s
 * per weight), so the print that follows does not wait for it. A job calls this with the browser's start.
 */
export function warmFonts(): void {
  setImmediate(() => void subsetFontFaces(pageCodePoints('第页共')).catch(() => {}));
}

/** Drops the subsetter and its fonts (~50 MB), with the idle browser. */
export function releaseFonts(): void {
  subsetter = null;
}
