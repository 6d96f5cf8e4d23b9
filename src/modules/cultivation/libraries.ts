// The city's cultivation libraries (config/<city>/cultivation.json), read once per process.
import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveCityDir } from '../../config/load.ts';
import type { Library } from '../../domain/cultivation/index.ts';
import { librariesFileSchema } from './schemas.ts';

let cached: Promise<Library[]> | null = null;

export function cultivationLibraries(): Promise<Library[]> {
  cached ??= (async () => {
    const file = path.join(resolveCityDir(), 'cultivation.json');
    const parsed = librariesFileSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.libraries as Library[];
  })();
  return cached;
}

export async function libraryByKey(key: string): Promise<Library | undefined> {
  return (await cultivationLibraries()).find((l) => l.key === key);
}
