// Every preset rule set (every version seeded) has an English name for the UI's second language.
import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_NAMES_EN } from './presets.ts';

describe('preset rule-set names in English', () => {
  it('names every seeded version of every preset', () => {
    for (const p of PRESETS)
      for (const r of [...(p.earlier ?? []), p.ruleSet]) {
        expect(PRESET_NAMES_EN[r.name], `${p.code}: ${r.name}`).toBeTruthy();
        expect(PRESET_NAMES_EN[r.name]).not.toMatch(/[\u4e00-\u9fff]/);
      }
  });
});
