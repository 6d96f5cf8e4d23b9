// Display helpers shared by the projects pages.
import type { TFunction } from 'i18next';
import { STAGES } from '../../../../src/modules/projects/schemas.ts';

export { STAGES };

export const STAGE_COLORS: Record<string, string> = {
  negotiation: '#8c8c8c',
  signed: '#2f54eb',
  land: '#13c2c2',
  started: '#fa8c16',
  completed: '#a0d911',
  production: '#52c41a',
  full_production: '#237804',
  paused: '#faad14',
  terminated: '#595959',
};

export const stageLabel = (stage: string, t: TFunction) => t(`projects.stage.${stage}`);
export const kindLabel = (kind: string, t: TFunction) => t(`projects.kind.${kind}`);
export const levelLabel = (level: string, t: TFunction) => t(`projects.level.${level}`);

/** Base64 of a file chosen in the browser, for the JSON import body. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** This month in the city (UTC+8), 'YYYY-MM'. */
export function cityMonth(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
}
