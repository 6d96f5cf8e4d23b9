// The units of the service capability: the city's register from config/<city>/service-units.json plus one
// office per county (区县经信局) and one promotion agency (产业链专班) per cluster, created when missing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clusters, regions } from '../../db/schema.ts';
import { resolveCityDir } from '../../config/load.ts';
import { ensureUnits, type NewUnit } from '../workitems/index.ts';
import type { Actor } from '../audit/index.ts';

interface UnitsFile {
  source: string;
  units: NewUnit[];
}

export async function serviceUnitList(db: Db): Promise<NewUnit[]> {
  const file = JSON.parse(
    await readFile(path.join(resolveCityDir(), 'service-units.json'), 'utf8'),
  ) as UnitsFile;
  const list: NewUnit[] = file.units.map((u, i) => ({ ...u, sortOrder: i, source: file.source }));
  const counties = await db
    .select()
    .from(regions)
    .where(eq(regions.level, 'county'))
    .orderBy(asc(regions.code));
  counties.forEach((c, i) =>
    list.push({
      code: `county.${c.code}`,
      name: `${c.name}经信局`,
      nameEn: c.nameEn ? `${c.nameEn} economy bureau` : null,
      kind: 'county',
      level: 'county',
      regionCode: c.code,
      sortOrder: 100 + i,
      source: 'regions.csv',
    }),
  );
  const cl = await db.select().from(clusters).orderBy(asc(clusters.sortOrder));
  cl.forEach((c, i) =>
    list.push({
      code: `agency.${c.code}`,
      name: `${c.name}产业集群促进中心（产业链专班）`,
      nameEn: `${c.nameEn ?? c.code} cluster promotion agency`,
      kind: 'cluster_agency',
      level: 'city',
      clusterCode: c.code,
      sortOrder: 200 + i,
      source: 'clusters.json',
    }),
  );
  return list;
}

export async function ensureServiceUnits(db: Db, actor: Actor): Promise<number> {
  return ensureUnits(db, actor, await serviceUnitList(db));
}
