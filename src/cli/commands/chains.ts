// clusterscope chains sync [--dry-run] [--force]
// Compares each chain of config/<city>/chains.json with the database and prints, per chain, the fields,
// nodes and edges added, removed and changed; applies them to chains no administrator has edited (edited
// ones with --force). Exit 0 done, 1 when a chain was skipped (edited, blocked by people's work on a node
// the configuration drops, or owned by an administrator) and the user must decide, 2 usage error.
import type { Command } from 'commander';
import { loadCityConfig, resolveCityDir } from '../../config/load.ts';
import { describeDiff } from '../../domain/chains/index.ts';
import {
  needsDecision,
  syncChains,
  type ChainSyncResult,
  type SyncReport,
} from '../../modules/chains/index.ts';
import { CLI_ACTOR, withMigratedDatabase } from '../context.ts';

const STATUS: Record<ChainSyncResult['status'], (dry: boolean) => string> = {
  added: (dry) => (dry ? 'would be added (new in the configuration)' : 'added (new in the configuration)'),
  updated: (dry) => (dry ? 'would be updated' : 'updated'),
  unchanged: () => 'unchanged',
  edited: () =>
    'SKIPPED: edited by an administrator (use --force to replace the edits with the configuration)',
  blocked: () => "BLOCKED: the configuration drops nodes that carry people's work; move or reset it first",
  admin_chain: () => 'SKIPPED: this code belongs to a chain an administrator created; rename one of them',
  not_in_config: () => 'not in the configuration any more (left alone)',
};

/** The report as lines for a terminal. */
export function formatReport(report: SyncReport): string[] {
  const lines: string[] = [];
  if (report.dryRun) lines.push('dry run: nothing is written');
  for (const c of report.chains) {
    const edits = c.edits ? ` (${c.edits} edit(s) by administrators)` : '';
    lines.push(`${c.code}: ${STATUS[c.status](report.dryRun)}${edits}`);
    if (c.diff && c.status !== 'unchanged' && c.status !== 'added')
      for (const l of describeDiff(c.diff)) lines.push(`  ${l}`);
    if (c.status === 'added' && c.diff)
      lines.push(`  + ${c.diff.nodesAdded.length} node(s), ${c.diff.edgesAdded.length} edge(s)`);
    for (const b of c.blockers)
      lines.push(
        `  ! node ${b.node}: ${b.decisions} placement decision(s), ${b.targets} target enterprise(s), ${b.projects} chain project(s)`,
      );
  }
  if (report.placements !== null) lines.push(`automatic placements rebuilt: ${report.placements} row(s)`);
  return lines;
}

export function register(program: Command): void {
  const chains = program.command('chains').description('industry chains (产业链图谱)');
  chains
    .command('sync')
    .description(
      'bring the chains in the database in line with config/<city>/chains.json (chains no administrator edited; --force for edited ones)',
    )
    .option('--dry-run', 'print the changes without writing them')
    .option(
      '--force',
      'also replace chains an administrator edited (recorded in their history as config.sync)',
    )
    .action(async (opts: { dryRun?: boolean; force?: boolean }) => {
      const config = await loadCityConfig(resolveCityDir());
      const report = await withMigratedDatabase((d) =>
        syncChains(d.db, config, { dryRun: opts.dryRun, force: opts.force, actor: CLI_ACTOR }),
      );
      for (const line of formatReport(report)) console.log(line);
      if (needsDecision(report)) process.exitCode = 1;
    });
}
