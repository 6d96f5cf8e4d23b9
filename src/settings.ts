// Every environment variable the platform reads, in one typed place (Zod). README's "Environment" table
// lists exactly these (test/lint/settings-readme.test.ts). Read afresh on each call: tests and the CLI
// set variables at run time, and a wrong value fails loudly with the variable's name.
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');
const positive = (fallback: number) =>
  z.coerce
    .number()
    .optional()
    .transform((v) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback));

export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: positive(10),
  CLUSTERSCOPE_DATA: z.string().optional(),
  CLUSTERSCOPE_CITY: z.string().default('jiaxing'),
  CLUSTERSCOPE_NO_DEMO: flag,
  CLUSTERSCOPE_DEMO_PASSWORD: z.string().default('Jiaxing2025demo'),
  CLUSTERSCOPE_PASSWORD: z.string().optional(),
  CLUSTERSCOPE_SESSION_HOURS: positive(12),
  /** undefined: the default of the database kind (5 s; PGlite 10 min) */
  CLUSTERSCOPE_SESSION_CACHE_MS: z.coerce.number().min(0).optional(),
  CLUSTERSCOPE_UPLOADS: z.string().optional(),
  /** where an xlsx read parks ExcelJS's temporary worksheets (one folder per read) */
  CLUSTERSCOPE_TMP: z.string().optional(),
  CLUSTERSCOPE_UPLOAD_RETENTION_HOURS: z.coerce
    .number()
    .optional()
    .transform((v) => (v !== undefined && Number.isFinite(v) && v >= 0 ? v : 72)),
  CLUSTERSCOPE_JOB_STALE_SECONDS: positive(60),
  CLUSTERSCOPE_JOB_HEARTBEAT_SECONDS: positive(10),
  /** a file the CLI's import commands write their commits' step times and the process's peak RSS to, at exit */
  CLUSTERSCOPE_IMPORT_STEPS: z.string().optional(),
  CLUSTERSCOPE_LOGIN_MAX_FAILURES: positive(5),
  CLUSTERSCOPE_COOKIE_SECURE: flag,
  CLUSTERSCOPE_TRUST_PROXY: flag,
  /**
   * ms; PostgreSQL statement_timeout of every statement run while answering an API read (GET); 0 = no
   * ceiling. Writes, imports, background jobs and the CLI run without one (src/db/statement-ceiling.ts)
   */
  CLUSTERSCOPE_STATEMENT_TIMEOUT_MS: z.coerce.number().min(0).default(30_000),
  /** heavy read routes running at once per process, and waiting beyond that before 503 */
  CLUSTERSCOPE_HEAVY_CONCURRENCY: positive(2),
  CLUSTERSCOPE_HEAVY_QUEUE: positive(50),
  /** whole-list downloads (workbooks of every firm's rows …) being written at once per process, and waiting */
  CLUSTERSCOPE_EXPORT_CONCURRENCY: positive(2),
  CLUSTERSCOPE_EXPORT_QUEUE: positive(10),
  /** the app's origin(s), comma-separated, for the CSRF check (default: the request's own host) */
  CLUSTERSCOPE_ORIGIN: z.string().optional(),
  /** minutes between work-item escalation sweeps; 0 = off (documented so; positive() would turn 0 into 5) */
  CLUSTERSCOPE_WORKITEM_SWEEP_MINUTES: z.coerce.number().min(0).default(5),
  /**
   * after a newest month's monthly import, queue the city's bulletin draft (issue 21); on unless '0' —
   * the tests turn it off (vitest.config.ts) and a test that wants it sets '1'
   */
  CLUSTERSCOPE_BULLETIN_AUTO: z
    .enum(['1', '0', 'true', 'false', ''])
    .optional()
    .transform((v) => v !== '0' && v !== 'false'),
  /**
   * at server start, compute in the background what the first city bulletin would otherwise pay for
   * (the monitoring answers it reads, the first render); on unless '0' — the tests turn it off
   */
  CLUSTERSCOPE_BULLETIN_WARMUP: z
    .enum(['1', '0', 'true', 'false', ''])
    .optional()
    .transform((v) => v !== '0' && v !== 'false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** the Chromium the server prints PDFs with (bulletins, county assessment reports) and the browser tests use */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** The settings from the environment now; a malformed value throws, naming the variable. */
export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  const picked = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = settingsSchema.safeParse(picked);
  if (!parsed.success)
    throw new Error(
      `invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The names of every variable, for the README check. */
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as (keyof Settings)[];
