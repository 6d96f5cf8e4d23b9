// The demo data in two parts (issue 13, first start ≤ 60 s). The core — registry, facts, rollups, chain
// placement and the demo logins — is written before the server answers: monitoring, the registry and the
// chains read it. The rest — projects, cultivation, target reports, enterprise requests, 亩均 evaluations,
// alerts, the cluster index and the county assessment, each through its module's own write path — takes
// as long again, so `start` writes it in the background after the server answers, marked by the meta key
// `demo_pending` (the web app shows "演示数据生成中" and what is still missing until it is gone; a start
// that finds the key left by an interrupted one resumes from the first step not done). `clusterscope
// demo` writes both parts in the foreground.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { meta } from '../db/schema.ts';
import { loadCityConfig, resolveCityDir } from '../config/load.ts';
import { getMeta } from '../modules/reference/index.ts';
import { DEMO_PASSWORD, ensureDemoUsers } from '../modules/auth/index.ts';

/** The meta key of the demo parts still to be written (read by reference's cityInfo). */
export const DEMO_PENDING_KEY = 'demo_pending';

export interface DemoPending {
  seed: number;
  /** the deferred steps not done yet, in order (DEFERRED_STEPS names) */
  steps: string[];
  since: string;
  /** set when a step failed: the background stopped; the next start tries again */
  failed?: string;
}

const CLI_ACTOR = { id: null, username: 'cli' };

type Log = (line: string) => void;

/**
 * Every line starts with the seconds since the line before: what the step before it took (issue 13:
 * where a first start spends its time), and this process's CPU seconds in it (PGlite runs here, so on a
 * busy machine the CPU time is what the step would take on a quiet one).
 */
export function stepLogger(log: Log): Log {
  let lap = performance.now();
  let cpu = process.cpuUsage();
  return (line: string) => {
    const used = process.cpuUsage(cpu);
    log(
      `  [+${((performance.now() - lap) / 1000).toFixed(1)} s, cpu ${((used.user + used.system) / 1e6).toFixed(1)} s] ${line}`,
    );
    lap = performance.now();
    cpu = process.cpuUsage();
  };
}

/** The core: registry, facts, rollups, chain placement (generateDemo) and the demo logins. */
export async function demoCore(
  d: Database,
  seed: number,
  scale: 'city' | 'province',
  step: Log,
  log: Log = console.log,
) {
  const config = await loadCityConfig(resolveCityDir());
  // Loaded only when needed: the generator is large and most commands never use it.
  const { generateDemo } = await import('../demo/generate.ts');
  const summary = await generateDemo(d, config, { seed, scale, onProgress: step });
  log(`demo data (seed ${seed}, ${scale}): ${JSON.stringify(summary)}`);
  const created = await ensureDemoUsers(d.db, CLI_ACTOR);
  step(`demo users${created.length ? ` created (password ${DEMO_PASSWORD}): ${created.join(', ')}` : ''}`);
}

/** The rest, in the order they depend on each other; each answers the line it logs. */
export const DEFERRED_STEPS: { name: string; run: (d: Database, seed: number) => Promise<string> }[] = [
  {
    name: 'projects',
    run: async (d, seed) => {
      const { generateDemoProjects } = await import('../modules/projects/index.ts');
      return `demo projects: ${JSON.stringify(await generateDemoProjects(d.db, seed))}`;
    },
  },
  {
    name: 'cultivation',
    run: async (d, seed) => {
      const { generateDemoCultivation } = await import('../modules/cultivation/index.ts');
      return `demo cultivation: ${JSON.stringify(await generateDemoCultivation(d.db, seed))}`;
    },
  },
  {
    name: 'targets',
    run: async (d, seed) => {
      const { generateDemoTargetReports } = await import('../modules/targets/index.ts');
      return `demo target reports: ${JSON.stringify(await generateDemoTargetReports(d.db, seed))}`;
    },
  },
  {
    name: 'service',
    run: async (d, seed) => {
      const { generateDemoRequests } = await import('../modules/service/index.ts');
      return `demo service requests: ${JSON.stringify(await generateDemoRequests(d.db, seed))}`;
    },
  },
  {
    // the evaluations come before the alerts: the 亩均 class-drop signal reads the published classes, so
    // the first run and every re-run raise the same alerts
    name: 'evaluation',
    run: async (d) => {
      const { publishDemoEvaluations } = await import('../modules/evaluation/index.ts');
      const runs = await publishDemoEvaluations(d, CLI_ACTOR);
      return `亩均 evaluations: ${runs.map((r) => `${r.year} ${r.status} (run ${r.id})`).join(', ') || 'none'}`;
    },
  },
  {
    name: 'alerts',
    run: async (d, seed) => {
      const { evaluateDemoAlerts, handleDemoAlerts } = await import('../modules/alerts/index.ts');
      const alerts = await evaluateDemoAlerts(d, CLI_ACTOR);
      return (
        `demo alerts: ${JSON.stringify(alerts)}; ` +
        `handling: ${JSON.stringify(await handleDemoAlerts(d, seed, CLI_ACTOR))}`
      );
    },
  },
  {
    name: 'index',
    run: async (d) => {
      const { publishDemoIndex } = await import('../modules/cluster-index/index.ts');
      const edition = await publishDemoIndex(d, 2025, CLI_ACTOR);
      return edition
        ? `cluster index 2021–2025 published (edition ${edition.version})`
        : 'cluster index: none';
    },
  },
  {
    name: 'assessment',
    run: async (d) => {
      const { publishDemoAssessment } = await import('../modules/assessment/index.ts');
      const assessment = await publishDemoAssessment(d.db, 2025, CLI_ACTOR);
      return assessment
        ? `county assessment 2025 ${assessment.status} (edition ${assessment.id})`
        : 'county assessment: none';
    },
  },
];

async function writePending(d: Database, value: DemoPending | null): Promise<void> {
  if (!value) {
    await d.db.execute(sql`delete from meta where key = ${DEMO_PENDING_KEY}`);
    return;
  }
  await d.db
    .insert(meta)
    .values({ key: DEMO_PENDING_KEY, value })
    .onConflictDoUpdate({ target: meta.key, set: { value } });
}

/** Marks every deferred step as still to do (before the server answers). */
export async function markDeferred(d: Database, seed: number): Promise<void> {
  await writePending(d, {
    seed,
    steps: DEFERRED_STEPS.map((s) => s.name),
    since: new Date().toISOString(),
  });
}

export async function pendingDemo(d: Database): Promise<DemoPending | null> {
  return getMeta<DemoPending>(d.db, DEMO_PENDING_KEY);
}

/**
 * Runs the deferred steps still pending, one after another, ticking each off when it is done; the key
 * goes with the last one. A failure is kept on the key (the web app says so) and ends the run.
 */
export async function runDeferred(d: Database, step: Log): Promise<void> {
  const pending = await pendingDemo(d);
  if (!pending) return;
  let left = DEFERRED_STEPS.filter((s) => pending.steps.includes(s.name));
  delete pending.failed;
  while (left.length) {
    const [next, ...rest] = left as [(typeof left)[number], ...typeof left];
    try {
      step(await next.run(d, pending.seed));
    } catch (error) {
      await writePending(d, { ...pending, steps: left.map((s) => s.name), failed: String(error) });
      throw error;
    }
    left = rest;
    await writePending(d, left.length ? { ...pending, steps: left.map((s) => s.name) } : null);
  }
  // the WAL of the generation is not needed once it is done: a checkpoint lets PGlite recycle it
  if (d.kind === 'pglite') await d.db.execute(sql`checkpoint`);
}

/** Both parts in the foreground (`clusterscope demo`). */
export async function demoAll(d: Database, seed: number, scale: 'city' | 'province', log: Log = console.log) {
  const step = stepLogger(log);
  await demoCore(d, seed, scale, step, log);
  for (const s of DEFERRED_STEPS) step(await s.run(d, seed));
  await writePending(d, null); // a start interrupted before its background ended left it
}
