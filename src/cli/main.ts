// clusterscope CLI: serve | start | dev | migrate | demo | user add|passwd.
// Exit codes: 0 done, 1 refused or failed, 2 usage error.
import { settings } from '../settings.ts';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, Option } from 'commander';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, REPO_ROOT, runMigrations, type Database } from '../db/client.ts';
import { loadCityConfig, resolveCityDir } from '../config/load.ts';
import { getMeta } from '../modules/reference/index.ts';
import { ensureDemoUsers, DEMO_PASSWORD } from '../modules/auth/index.ts';
import { createUser, setPassword } from '../modules/auth/index.ts';
import { ROLES, type Role } from '../modules/auth/schemas.ts';
import { buildApp } from '../server/app.ts';
import { COMMANDS } from './commands/index.ts';
import { newProgram, runProgram } from './run-program.ts';
import { prepareDatabase, registerFactsHooks, seedDefinitions } from '../composition.ts';

// the same hooks as the server: an import from the CLI keeps chains and rollups in step
registerFactsHooks();

const CLI_ACTOR = { id: null, username: 'cli' };

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

async function demo(d: Database, seed: number, scale: 'city' | 'province', log = console.log) {
  const config = await loadCityConfig(resolveCityDir());
  // every line starts with the seconds since the line before: what the step before it took (issue 13:
  // where a first start spends its time)
  // (and this process's CPU seconds in it: PGlite runs here, so on a busy machine the CPU time is what
  // the step would take on a quiet one)
  let lap = performance.now();
  let cpu = process.cpuUsage();
  const step = (line: string) => {
    const used = process.cpuUsage(cpu);
    log(`  [+${seconds(lap)} s, cpu ${((used.user + used.system) / 1e6).toFixed(1)} s] ${line}`);
    lap = performance.now();
    cpu = process.cpuUsage();
  };
  // Loaded only when needed: the generator is large and most commands never use it.
  const { generateDemo } = await import('../demo/generate.ts');
  const summary = await generateDemo(d, config, { seed, scale, onProgress: (m: string) => step(m) });
  log(`demo data (seed ${seed}, ${scale}): ${JSON.stringify(summary)}`);
  const { generateDemoProjects } = await import('../modules/projects/index.ts');
  step(`demo projects: ${JSON.stringify(await generateDemoProjects(d.db, seed))}`);
  const { generateDemoCultivation } = await import('../modules/cultivation/index.ts');
  step(`demo cultivation: ${JSON.stringify(await generateDemoCultivation(d.db, seed))}`);
  const created = await ensureDemoUsers(d.db, CLI_ACTOR);
  step(`demo users${created.length ? ` created (password ${DEMO_PASSWORD}): ${created.join(', ')}` : ''}`);
  const { generateDemoTargetReports } = await import('../modules/targets/index.ts');
  step(`demo target reports: ${JSON.stringify(await generateDemoTargetReports(d.db, seed))}`);
  const { generateDemoRequests } = await import('../modules/service/index.ts');
  step(`demo service requests: ${JSON.stringify(await generateDemoRequests(d.db, seed))}`);
  // the evaluations come before the alerts: the 亩均 class-drop signal reads the published classes, so the
  // first run and every re-run raise the same alerts
  const { publishDemoEvaluations } = await import('../modules/evaluation/index.ts');
  const runs = await publishDemoEvaluations(d, CLI_ACTOR);
  step(`亩均 evaluations: ${runs.map((r) => `${r.year} ${r.status} (run ${r.id})`).join(', ') || 'none'}`);
  const { evaluateDemoAlerts } = await import('../modules/alerts/index.ts');
  step(`demo alerts: ${JSON.stringify(await evaluateDemoAlerts(d, CLI_ACTOR))}`);
  const { handleDemoAlerts } = await import('../modules/alerts/index.ts');
  step(`demo alert handling: ${JSON.stringify(await handleDemoAlerts(d, seed, CLI_ACTOR))}`);
  const { publishDemoIndex } = await import('../modules/cluster-index/index.ts');
  const edition = await publishDemoIndex(d, 2025, CLI_ACTOR);
  step(edition ? `cluster index 2021–2025 published (edition ${edition.version})` : 'cluster index: none');
  const { publishDemoAssessment } = await import('../modules/assessment/index.ts');
  const assessment = await publishDemoAssessment(d.db, 2025, CLI_ACTOR);
  step(
    assessment
      ? `county assessment 2025 ${assessment.status} (edition ${assessment.id})`
      : 'county assessment: none',
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
      await demo(d, 20201029, 'city');
      console.log(`demo data generated in ${seconds(t)} s`);
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
      await demo(d, Number(opts.seed), opts.scale);
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
