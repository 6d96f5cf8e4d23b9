// Import of the platforms register from an xlsx (issue 16 item 4). All or nothing: every row is checked
// first and any error refuses the whole file, each problem naming file, sheet, row, column and reason. A
// row whose 名称 and 类型 match an existing platform updates it; others are added. The workbook passes the
// zip guard before ExcelJS inflates it, and the rows go to the database as one JSON parameter (the
// statement does not grow with the file).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { cellText } from '../../domain/imports/cells.ts';
import { problem, type ImportProblem } from '../../domain/imports/problems.ts';
import { platformKindOf, platformLevelOf } from '../../domain/platforms.ts';
import { parseNumber } from '../../domain/units.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { decodeUpload, MAX_IMPORT_WORKBOOK_BYTES } from '../../server/uploads.ts';
import { writeAudit, type Actor } from '../audit/index.ts';
import { readWorkbook } from '../imports/index.ts';
import { referenceNames } from './service.ts';
import type { PlatformImportResult } from './schemas.ts';

const XLSX = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** The template's columns: header words accepted for each, and whether it is required. */
export const COLUMNS = [
  { key: 'name', zh: '名称', words: ['名称', '平台名称', '载体名称'], required: true },
  { key: 'kind', zh: '类型', words: ['类型', '平台类型', '载体类型'], required: true },
  { key: 'level', zh: '级别', words: ['级别', '认定级别'], required: false },
  {
    key: 'region',
    zh: '县（市、区）',
    words: ['县（市、区）', '县(市、区)', '县市区', '所在县（市、区）', '区县'],
    required: false,
  },
  { key: 'zone', zh: '功能区', words: ['功能区', '所在功能区', '园区'], required: false },
  { key: 'cluster', zh: '集群', words: ['集群', '所属集群', '产业集群'], required: false },
  { key: 'year', zh: '认定年份', words: ['认定年份', '年份', '认定年度'], required: false },
  {
    key: 'source',
    zh: '来源',
    words: ['来源', '认定文件', '认定文件/来源', '来源/认定文件'],
    required: true,
  },
] as const;
type Key = (typeof COLUMNS)[number]['key'];

interface Parsed {
  name: string;
  kind: string;
  level: string | null;
  regionCode: string | null;
  zoneCode: string | null;
  clusterCode: string | null;
  year: number | null;
  source: string;
}

const fold = (s: string) => s.replace(/[\s()（）]/g, '');

export async function importPlatforms(
  db: Db,
  user: AuthedUser,
  actor: Actor,
  upload: { fileName: string; contentBase64: string },
): Promise<PlatformImportResult> {
  // (the text follows decodeUpload's own sentence: "文件超过 5 MB" + the limit's name + "。")
  const file = decodeUpload(upload, XLSX, MAX_IMPORT_WORKBOOK_BYTES, {
    en: ' (the limit of a platforms workbook)',
    zh: '（平台载体表的上限）',
  });
  const fail = (problems: ImportProblem[]): PlatformImportResult => ({
    ok: false,
    inserted: 0,
    updated: 0,
    problems: problems.map(({ file: f, sheet, row, column, value, zh, en }) => ({
      file: f,
      sheet,
      row,
      column,
      value,
      zh,
      en,
    })),
  });
  const at = (sheet: string | null, row: number | null, column: string | null = null, value?: unknown) => ({
    file: file.fileName,
    sheet,
    row,
    column,
    value,
  });
  // read through the imports' scanner (zip guard first): a damaged or oversized workbook is one problem, a
  // number no double holds stays its text (refused below with its reason, never read as 0 or Infinity)
  const read = await readWorkbook(file.content);
  if (!read.ok) return fail([problem('error', read.code, at(null, null), { zh: read.zh, en: read.en })]);
  const ws = read.sheets[0];
  if (!ws)
    return fail([
      problem('error', 'file.empty', at(null, null), { zh: '表格没有工作表', en: 'No worksheet' }),
    ]);
  const sheet = ws.name;
  const cols = new Map<Key, number>();
  const header = ws.rows[0]?.row === 1 ? ws.rows[0].cells : [];
  header.forEach((cell, index) => {
    const t = fold(cellText(cell));
    const def = COLUMNS.find((d) => d.words.some((w) => fold(w) === t));
    if (def && !cols.has(def.key)) cols.set(def.key, index + 1);
  });
  const problems: ImportProblem[] = [];
  for (const d of COLUMNS)
    if (d.required && !cols.has(d.key))
      problems.push(
        problem('error', 'column.missing', at(sheet, 1, d.zh), {
          zh: `缺少“${d.zh}”列`,
          en: `The column "${d.zh}" is missing`,
        }),
      );
  if (problems.length) return fail(problems);

  const names = await referenceNames(db);
  const byName = <V>(m: Map<string, V>, label: (v: V) => string) => {
    const out = new Map<string, string>();
    for (const [code, v] of m) {
      out.set(code, code);
      out.set(fold(label(v)), code);
    }
    return out;
  };
  const regionOf = byName(names.regions, (v) => v);
  const zoneOf = byName(names.zones, (v) => v.name);
  const clusterOf = byName(names.clusters, (v) => v);

  const rows: Parsed[] = [];
  const seen = new Map<string, number>();
  for (const { row: i, cells } of ws.rows) {
    if (i < 2) continue;
    const get = (k: Key) => {
      const c = cols.get(k);
      return c ? cellText(cells[c - 1] ?? null) : '';
    };
    if (COLUMNS.every((d) => get(d.key) === '')) continue;
    const bad = (k: Key, value: string, zh: string, en: string) =>
      problems.push(
        problem('error', `platform.${k}`, at(sheet, i, COLUMNS.find((d) => d.key === k)!.zh, value), {
          zh,
          en,
        }),
      );
    const name = get('name');
    if (name.length < 2) bad('name', name, '名称必填（至少 2 个字）', 'The name is required');
    const kindText = get('kind');
    const kind = platformKindOf(kindText);
    if (!kind) bad('kind', kindText, '不是已知的平台类型', 'Not a known platform kind');
    const levelText = get('level');
    const level = levelText ? platformLevelOf(levelText) : null;
    if (levelText && !level)
      bad('level', levelText, '级别应为 国家级、省级 或 市级', 'Level: national, provincial or city');
    const regionText = get('region');
    const regionCode = regionText ? (regionOf.get(fold(regionText)) ?? null) : null;
    if (regionText && !regionCode)
      bad('region', regionText, '不是本市的县（市、区）', 'Not a county of the city');
    if (!regionText && user.scope.kind !== 'all')
      bad('region', '', '县（市、区）用户须填写本地县（市、区）', 'A county officer names its own county');
    else if (
      regionCode &&
      user.scope.kind !== 'all' &&
      !(user.scope.kind === 'region' && user.scope.regionCode === regionCode)
    )
      bad('region', regionText, '只能导入本地的平台载体', 'Only your own county’s platforms');
    const zoneText = get('zone');
    const zoneCode = zoneText ? (zoneOf.get(fold(zoneText)) ?? null) : null;
    if (zoneText && !zoneCode) bad('zone', zoneText, '未知的功能区', 'Unknown zone');
    else if (zoneCode && regionCode && names.zones.get(zoneCode)!.host !== regionCode)
      bad('zone', zoneText, '功能区不在该县（市、区）内', 'The zone lies in another county');
    const clusterText = get('cluster');
    const clusterCode = clusterText ? (clusterOf.get(fold(clusterText)) ?? null) : null;
    if (clusterText && !clusterCode) bad('cluster', clusterText, '未知的集群', 'Unknown cluster');
    const yearText = get('year');
    // (the imports' number rule: "1e-400" or 1e400 refused with its reason, not read as 0 or Infinity)
    const yearNumber = yearText ? parseNumber(yearText.replace(/年$/, '')) : null;
    const year = yearNumber?.ok ? yearNumber.value : null;
    if (yearNumber && !yearNumber.ok && yearNumber.reason !== 'notANumber')
      bad('year', yearText, yearNumber.message.zh, yearNumber.message.en);
    else if (yearText && (!Number.isInteger(year) || year! < 1990 || year! > 2100))
      bad('year', yearText, '认定年份应为 1990–2100 的整数', 'The year must be an integer 1990–2100');
    const source = get('source');
    if (source.length < 2)
      bad('source', source, '来源（认定文件）必填', 'The source (recognition document) is required');
    const key = `${kind}|${name}`;
    if (seen.has(key))
      bad('name', name, `与第 ${seen.get(key)} 行重复（名称与类型相同）`, `Duplicates row ${seen.get(key)}`);
    seen.set(key, i);
    if (kind) rows.push({ name, kind, level, regionCode, zoneCode, clusterCode, year, source });
  }
  if (problems.length) return fail(problems);
  if (!rows.length)
    return fail([
      problem('error', 'file.no-rows', at(sheet, null), { zh: '表格中没有数据行', en: 'No data rows' }),
    ]);

  const json = JSON.stringify(rows);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const incoming = sql`(select * from jsonb_to_recordset(${json}::jsonb) as x(name text, kind text, level text,
      "regionCode" text, "zoneCode" text, "clusterCode" text, year int, source text))`;
    // a matching platform in another county is not the importer's to change (a county's file names its own)
    const clash = await queryRows<{ name: string }>(
      tx,
      sql`select p.name from platforms p join ${incoming} x on p.name = x.name and p.kind = x.kind
          where p.region_code is distinct from x."regionCode" and ${user.scope.kind !== 'all'}`,
    );
    if (clash.length)
      return fail(
        clash.map((c) =>
          problem(
            'error',
            'platform.other-county',
            at(
              sheet,
              seen.get(`${rows.find((r) => r.name === c.name)!.kind}|${c.name}`) ?? null,
              '名称',
              c.name,
            ),
            {
              zh: '同名平台已登记在其他县（市、区）',
              en: 'A platform of that name is registered in another county',
            },
          ),
        ),
      );
    const updated = await queryRows<{ id: number }>(
      tx,
      sql`update platforms p set level = x.level, region_code = x."regionCode", zone_code = x."zoneCode",
            cluster_code = x."clusterCode", year = x.year, source = x.source
          from ${incoming} x where p.name = x.name and p.kind = x.kind returning p.id`,
    );
    const inserted = await queryRows<{ id: number }>(
      tx,
      sql`insert into platforms (name, kind, level, region_code, zone_code, cluster_code, year, source)
          select x.name, x.kind, x.level, x."regionCode", x."zoneCode", x."clusterCode", x.year, x.source
          from ${incoming} x where not exists (select 1 from platforms p where p.name = x.name and p.kind = x.kind)
          returning id`,
    );
    await writeAudit(tx, actor, {
      action: 'platform.import',
      entity: 'platform',
      after: { file: file.fileName, sha256: file.sha256, inserted: inserted.length, updated: updated.length },
    });
    return { ok: true, inserted: inserted.length, updated: updated.length, problems: [] };
  });
}
