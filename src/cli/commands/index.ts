// Capability commands: each file exports `register(program)`; add one line here per capability.
import type { Command } from 'commander';
import { register as chains } from './chains.ts';
import { register as clusterIndex } from './cluster-index.ts';
import { register as evaluate } from './evaluate.ts';
import { register as importCommand } from './import.ts';
import { register as importBatch } from './import-batch.ts';
import { register as rollups } from './rollups.ts';

export const COMMANDS: ((program: Command) => void)[] = [
  evaluate,
  importCommand,
  chains,
  importBatch,
  clusterIndex,
  rollups,
];
