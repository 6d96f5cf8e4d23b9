// Capability commands: each file exports `register(program)`; add one line here per capability.
import type { Command } from 'commander';

export const COMMANDS: ((program: Command) => void)[] = [];
