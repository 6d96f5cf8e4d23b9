// clusterscope CLI: serve | start | dev | migrate | demo | user add|passwd.
// Exit codes: 0 done, 1 refused or failed, 2 usage error.
import { settings } from '../settings.ts';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, Option } from 'commander';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, REPO_ROOT, runMigrations, type Database } from '../db/client.ts';
import { getMeta } from '../modules/reference/index.ts';
import { ensureDemoUsers } from '../modules/auth/index.ts';
import { createUser, setPassword } from '../modules/auth/index.ts';
import { ROLES, type Role } from '../modules/auth/schemas.ts';
import { buildApp } from '../server/app.ts';
import { COMMANDS } from './commands/index.ts';
import { newProgram, runProgram } from './run-program.ts';
import { connectCapabilities, prepareDatabase, registerFactsHooks, seedDefinitions } from '../composition.ts';
import { demoAll, demoCore, markDeferred, pendingDemo, runDeferred, stepLogger } from './demo-steps.ts';

// the same hooks as the server: an import from the CLI keeps chains and rollups in step
registerFactsHooks();
connectCapabilities();

const CLI_ACTOR = { id: null, username: 'cli' };
const DEMO_SEED = 20201029;

async function withDatabase<T>(fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await openDatabase();
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

async function migrate(d: Database, log = console.log) {
  const { config, counts } = await prepareDatabase(d);
  log(
    `migrated ${d.kind} (${d.location}); reference data for ${config.city.name}: ${JSON.stringify(counts)}`,
  );
}

async function enterpriseCount(d: Database): Promise<number> {
  const rows = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from enterprises`);
  return rows[0]?.n ?? 0;
}

/**
 * Builds the web app when it has not been built. Its output is kept and shown only if it fails: on a first
 * start it runs beside the demo generation (a second process, so on a second core), whose lines it
 * would otherwise break up.
 */
function buildWebIfMissing(log = console.log): Promise<void> {
  if (fs.existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html'))) return Promise.resolve();
  log('building the web app (first start only), beside the rest …');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        'web/vite.config.ts',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => output.push(b));
    child.stderr.on('data', (b: Buffer) => output.push(b));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        log(`web app built in ${seconds(started)} s`);
        resolve();
      } else {
        process.stderr.write(Buffer.concat(output));
        reject(new Error(`web build failed (exit ${code})`));
      }
    });
  });
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function serve(d: Database) {
  const app = await buildApp({ database: d });
  const { PORT: port, HOST: host } = settings();
  await app.listen({ port, host });
  const stop = async () => {
    await app.close();
    await d.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const program = newProgram();

program
  .command('start')
  .description(
    'first-run friendly: migrate, load demo data if the database is empty, build the web app if needed, serve',
  )
  .action(async () => {
    const started = performance.now();
    // the web build (a child process) runs while this one migrates and generates demo data
    const built = buildWebIfMissing().then(
      () => null,
      (error: unknown) => error,
    );
    const d = await openDatabase();
    await migrate(d);
    const cpu = process.cpuUsage();
    console.log(
      `database open and migrated ${seconds(started)} s after start (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
    );
    if ((await enterpriseCount(d)) === 0 && !settings().CLUSTERSCOPE_NO_DEMO) {
      console.log('empty database: generating demo data (synthetic, city scale) …');
      const t = performance.now();
      await demoCore(d, DEMO_SEED, 'city', stepLogger(console.log));
      // the rest of the demo is written after the server answers (src/cli/demo-steps.ts)
      await markDeferred(d, DEMO_SEED);
      console.log(`demo data core generated in ${seconds(t)} s; the rest follows once the server answers`);
    } else if (await getMeta(d.db, 'demo_data')) {
      await ensureDemoUsers(d.db, CLI_ACTOR);
      const { ensureServiceUnits } = await import('../modules/service/index.ts');
      const { linkDemoUnitMembers } = await import('../modules/service/index.ts');
      await ensureServiceUnits(d.db, CLI_ACTOR);
      await linkDemoUnitMembers(d.db);
    }
    const failed = await built;
    if (failed) throw failed;
    await serve(d);
    console.log(`ready ${seconds(started)} s after start`);
    if (await pendingDemo(d)) {
      console.log(
        'generating the rest of the demo data in the background (the web app shows 演示数据生成中) …',
      );
      const t = performance.now();
      runDeferred(d, stepLogger(console.log)).then(
        () => console.log(`demo data complete ${seconds(t)} s after the server answered`),
        (error: unknown) =>
          console.error(`demo data generation failed (the next start tries again): ${String(error)}`),
      );
    }
  });

program
  .command('serve')
  .description('serve the API and the built web app (PORT, default 3000)')
  .action(async () => {
    const d = await openDatabase();
    await runMigrations(d);
    await seedDefinitions(d);
    await serve(d);
  });

program
  .command('dev')
  .description('API server plus the Vite dev server with hot reload (web on http://localhost:5173)')
  .action(async () => {
    const d = await openDatabase();
    await migrate(d);
    await serve(d);
    spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', 'web/vite.config.ts'],
      { cwd: REPO_ROOT, stdio: 'inherit' },
    );
  });

program
  .command('migrate')
  .description(
    'apply database migrations and load the city reference data (CLUSTERSCOPE_CITY, default jiaxing)',
  )
  .action(() => withDatabase((d) => migrate(d)));

program
  .command('demo')
  .description('replace demo data with freshly generated synthetic data (refuses to touch real data)')
  .addOption(
    new Option('--seed <n>', 'random seed').default('20201029').argParser((v) => {
      if (!/^\d+$/.test(v)) throw new CommanderError(2, 'usage', `--seed must be a whole number, got ${v}`);
      return v;
    }),
  )
  .addOption(
    new Option('--scale <scale>', 'city (about 22,000 firms) or province (about 10×)')
      .choices(['city', 'province'])
      .default('city'),
  )
  .action((opts: { seed: string; scale: 'city' | 'province' }) =>
    withDatabase(async (d) => {
      await migrate(d);
      await demoAll(d, Number(opts.seed), opts.scale);
    }),
  );

const user = program.command('user').description('manage users');
user
  .command('add <username>')
  .description('add a user; the password comes from --password or CLUSTERSCOPE_PASSWORD')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .option('--name <displayName>', 'display name')
  .option('--region <code>', 'county code (county officers)')
  .option('--cluster <code>', 'cluster code (cluster agencies)')
  .option('--enterprise <id>', 'enterprise id (enterprise users)')
  .option(
    '--password <password>',
    'initial password (prefer CLUSTERSCOPE_PASSWORD: command lines are visible to others)',
  )
  .action(
    (
      username: string,
      opts: {
        role: Role;
        name?: string;
        region?: string;
        cluster?: string;
        enterprise?: string;
        password?: string;
      },
    ) =>
      withDatabase(async (d) => {
        const password = opts.password ?? settings().CLUSTERSCOPE_PASSWORD;
        if (!password) throw new CommanderError(2, 'usage', 'give --password or set CLUSTERSCOPE_PASSWORD');
        await runMigrations(d);
        const id = await createUser(
          d.db,
          {
            username,
            displayName: opts.name ?? username,
            role: opts.role,
            password,
            regionCode: opts.region ?? null,
            clusterCode: opts.cluster ?? null,
            enterpriseId: opts.enterprise ? Number(opts.enterprise) : null,
          },
          CLI_ACTOR,
        );
        console.log(`user ${username} (${opts.role}) created with id ${id}`);
      }),
  );
user
  .command('passwd <username>')
  .description("set a user's password (from --password or CLUSTERSCOPE_PASSWORD); ends their sessions")
  .option('--password <password>', 'new password')
  .action((username: string, opts: { password?: string }) =>
    withDatabase(async (d) => {
      const password = opts.password ?? settings().CLUSTERSCOPE_PASSWORD;
      if (!password) throw new CommanderError(2, 'usage', 'give --password or set CLUSTERSCOPE_PASSWORD');
      await setPassword(d.db, username, password, CLI_ACTOR);
      console.log(`password of ${username} changed`);
    }),
  );

// Capability commands (import, evaluate, …) register themselves from src/cli/commands/.
for (const register of COMMANDS) register(program);

await runProgram(program);
