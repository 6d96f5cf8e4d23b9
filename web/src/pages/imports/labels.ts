import type { ImportDetail } from './api.ts';

export const STATUS_COLOR: Record<ImportDetail['status'], string> = {
  previewing: 'processing',
  previewed: 'gold',
  refused: 'red',
  committing: 'processing',
  committed: 'green',
  failed: 'red',
  rolled_back: 'default',
  interrupted: 'orange',
  discarded: 'default',
};

export const SEVERITY_COLOR = { error: 'red', warning: 'orange', notice: 'blue' } as const;

export const isZh = (language: string) => language.toLowerCase().startsWith('zh');
