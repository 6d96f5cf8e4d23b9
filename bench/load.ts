// Shared by the benches: a scratch-database statement on the server, and a bounded HTTP load from a
// worker thread (the server under test keeps the main thread to itself), loopback only.
import { Worker } from 'node:worker_threads';
import pg from 'pg';

/** One statement on the bench server's maintenance database (create or drop a scratch database). */
export async function adminQuery(baseUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

// The load generator, plain JavaScript for a worker thread: `connections` keep-alive connections on
// 127.0.0.1, until `seconds` or `max` requests, on the given paths in turn.
export const LOAD_WORKER = `
const http = require('node:http');
const { parentPort, workerData: w } = require('node:worker_threads');
const { PerformanceObserver } = require('node:perf_hooks');
// with w.trace: each request's start and this thread's own GC pauses (on the process's clock), so a slow
// request can be laid beside what the server did meanwhile
const gc = [];
const observer = w.trace ? new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gc.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: e.detail?.kind });
}) : null;
observer?.observe({ entryTypes: ['gc'] });
const agent = new http.Agent({ keepAlive: true, maxSockets: w.connections });
const get = (path) => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port: w.port, path, agent, headers: { cookie: w.cookie } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', reject);
  req.end();
});
(async () => {
  const latencies = [];
  const starts = [];
  const statuses = {};
  let errors = 0, next = 0;
  const started = performance.now();
  const deadline = started + w.seconds * 1000;
  await Promise.all(Array.from({ length: w.connections }, async () => {
    while (performance.now() < deadline && next < w.max) {
      const path = w.paths[next++ % w.paths.length];
      const s = performance.now();
      const status = await get(path);
      latencies.push(performance.now() - s);
      if (w.trace) starts.push(performance.timeOrigin + s);
      statuses[status] = (statuses[status] || 0) + 1;
      if (status !== 200) errors++;
    }
  }));
  agent.destroy();
  observer?.disconnect();
  parentPort.postMessage({ latencies, starts, gc, errors, statuses, elapsed: (performance.now() - started) / 1000 });
})();
`;

export interface LoadResult {
  latencies: number[];
  /** with trace: each request's start (performance.timeOrigin + now, ms), in the order of latencies */
  starts: number[];
  /** with trace: the load thread's own GC pauses */
  gc: { at: number; ms: number; kind?: number }[];
  errors: number;
  statuses: Record<string, number>;
  elapsed: number;
}

export async function runLoad(w: {
  port: number;
  cookie: string;
  paths: string[];
  connections: number;
  seconds: number;
  max: number;
  trace?: boolean;
}): Promise<LoadResult> {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: w });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}
