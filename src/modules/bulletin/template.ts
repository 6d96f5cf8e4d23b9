// The city's bulletin template (config/<city>/bulletin.json), read and checked once per process.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveCityDir } from '../../config/load.ts';
import { parseTemplate, type BulletinTemplate } from '../../domain/bulletin/index.ts';

let cached: Promise<BulletinTemplate> | null = null;

export function bulletinTemplate(): Promise<BulletinTemplate> {
  cached ??= readFile(path.join(resolveCityDir(), 'bulletin.json'), 'utf8').then((text) =>
    parseTemplate(JSON.parse(text)),
  );
  return cached;
}
