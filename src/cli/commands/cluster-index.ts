// clusterscope index list | compute | submit | review | publish | withdraw — the cluster index's editions
// from the command line, through the same services as the API (policy, four eyes, audit). Each command
// acts as a named account (`--as USER`, checked against the policy like a signed-in user): four eyes
// still need two accounts. Exit 0 done, 1 refused (policy, four eyes, state) or failed, 2 usage.
import { CommanderError, Option, type Command } from 'commander';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client.ts';
import { accountRows } from '../../modules/auth/index.ts';
import { decide, scopeOf, type Action } from '../../domain/policy/index.ts';
import type { AuthedUser } from '../../server/auth-context.ts';
import { forbidden, notFound } from '../../server/errors.ts';
import {
  createIndexEdition,
  listIndexEditions,
  moveIndexEdition,
  recomputeIndexEdition,
} from '../../modules/cluster-index/index.ts';
import { withMigratedDatabase } from '../context.ts';

type Move = 'submit' | 'review' | 'publish' | 'withdraw';
const MOVES: readonly Move[] = ['submit', 'review', 'publish', 'withdraw'];

/** The account a command acts as, refused when its role may not take `action` on editions. */
export async function actingUser(d: Database, username: string, action: Action): Promise<AuthedUser> {
  // the account through auth's relation (the CLI reads no module's table itself; issue 11)
  const [u] = await queryRows<{
    id: number;
    username: string;
    display_name: string;
    role: string;
    region_code: string | null;
    cluster_code: string | null;
    enterprise_id: number | null;
    active: boolean;
  }>(d.db, sql`select * from ${accountRows()} a where a.username = ${username}`);
  if (!u || !u.active) throw notFound(`user ${username}`);
  const base = {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as AuthedUser['role'],
    regionCode: u.region_code,
    regionName: null,
    clusterCode: u.cluster_code,
    enterpriseId: u.enterprise_id,
  };
  const decision = decide(base, 'index.edition', action);
  if (!decision.allowed)
    throw forbidden(`Forbidden: ${decision.reasonEn}.`, `无权限：${decision.reasonZh}。`);
  return { ...base, scope: scopeOf(base), sessionTokenHash: '' };
}

const actorOf = (u: AuthedUser) => ({ id: u.id, username: u.username, ip: null });

export interface IndexCommandOptions {
  as: string;
  from?: number;
  to?: number;
  edition?: number;
  reason?: string;
  note?: string;
}

/**
 * One `index` command on an open database; returns the lines it prints. Exported so that tests run it
 * in-process on both databases.
 */
export async function runIndexCommand(
  d: Database,
  command: 'list' | 'compute' | Move,
  opts: IndexCommandOptions,
  id?: number,
): Promise<string[]> {
  if (command === 'list') {
    const u = await actingUser(d, opts.as, 'read');
    const { items, currentId } = await listIndexEditions(d.db, u);
    return items.map(
      (e) => `${e.id}\tv${e.version}\t${e.status}${e.id === currentId ? ' (in force)' : ''}\t${e.title}`,
    );
  }
  if (command === 'compute') {
    const u = await actingUser(d, opts.as, 'manage');
    if (opts.edition) {
      const e = await recomputeIndexEdition(d.db, u, actorOf(u), opts.edition);
      return [`edition ${e.id} (v${e.version}) computed again: ${summary(e)}`];
    }
    const years =
      opts.from !== undefined && opts.to !== undefined ? { from: opts.from, to: opts.to } : undefined;
    const e = await createIndexEdition(d.db, u, actorOf(u), { years, reason: opts.reason });
    return [`draft edition ${e.id} (v${e.version}) computed: ${summary(e)}`];
  }
  if (id === undefined) throw new CommanderError(2, 'usage', `give the edition id: index ${command} <id>`);
  const u = await actingUser(d, opts.as, command === 'withdraw' ? 'manage' : command);
  const e = await moveIndexEdition(d.db, u, actorOf(u), id, command, opts.note);
  return [`edition ${e.id} (v${e.version}) is now ${e.status}`];
}

function summary(e: {
  body: { years: { from: number; to: number } };
  computations: { frequency: string; rows: number }[];
}) {
  const rows = e.computations.map((c) => `${c.rows} ${c.frequency} rows`).join(', ');
  return `${e.body.years.from}–${e.body.years.to}, ${rows}`;
}

const intArg = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new CommanderError(2, 'usage', `${name} must be a whole number, got ${v}`);
  return Number(v);
};

export function register(program: Command): void {
  const index = program
    .command('index')
    .description('cluster index editions: list, compute a draft, submit, review, publish, withdraw');
  const as = () =>
    new Option('--as <username>', 'the account acting (its role is checked)').makeOptionMandatory();
  const run = (command: 'list' | 'compute' | Move, opts: IndexCommandOptions, id?: number) =>
    withMigratedDatabase(async (d) => {
      for (const line of await runIndexCommand(d, command, opts, id)) console.log(line);
    });
  index
    .command('list')
    .description('editions the account may see, newest first')
    .addOption(as())
    .action((opts: IndexCommandOptions) => run('list', opts));
  index
    .command('compute')
    .description('a new draft computed on today’s data (or --edition ID: compute a draft again)')
    .addOption(as())
    .addOption(new Option('--from <year>', 'first year').argParser(intArg('--from')))
    .addOption(new Option('--to <year>', 'last year').argParser(intArg('--to')))
    .addOption(new Option('--edition <id>', 'an existing draft').argParser(intArg('--edition')))
    .option('--reason <text>', 'why (required once an edition is published)')
    .action((opts: IndexCommandOptions) => {
      if ((opts.from === undefined) !== (opts.to === undefined))
        throw new CommanderError(2, 'usage', 'give both --from and --to, or neither');
      return run('compute', opts);
    });
  for (const move of MOVES)
    index
      .command(`${move} <id>`)
      .description(`${move} an edition${move === 'review' || move === 'publish' ? ' (a second person)' : ''}`)
      .addOption(as())
      .option('--note <text>', 'a note (withdraw)')
      .action((id: string, opts: IndexCommandOptions) => run(move, opts, intArg('<id>')(id)));
}
