// The CPU a command costs the machine: its own process and the database backends that serve it. The import
// goal compares wall times (≤ 3× `psql \copy`), but on a 2-core machine wall time has a floor: a command
// whose processes together need C CPU seconds takes at least C / cores seconds, however its work is
// overlapped. The bench prints that floor beside the goal, so a missed ratio says whether overlapping more
// could meet it or only less work could.
import fs from 'node:fs';
import pg from 'pg';

/**
 * utime + stime of a process's or thread's stat file (`/proc/<pid>/stat`, `/proc/<pid>/task/<tid>/stat`) in
 * ms (Linux: 100 ticks a second); null once the process is gone or where there is no such file.
 */
export function procCpuMs(stat: string): number | null {
  try {
    const fields = fs.readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface CpuWatch {
  /** Watches this process too (started after the watch, so that the backends it connects count whole). */
  follow(pid: number | undefined): void;
  /** Stops polling; answers the CPU seconds of the watched process and of the database's backends. */
  stop(): Promise<{ processSeconds: number | null; backendSeconds: number | null }>;
}

/**
 * Polls every 100 ms, until stopped, the CPU of a process (`follow`) and of every backend connected to database
 * `database` (pg_stat_activity, asked on `adminUrl`'s database: the asking backend is not counted). A
 * process's last reading is kept: what it spends after it (under 100 ms, as it exits) is missed. Only where
 * the server runs on this machine (its backends' /proc entries readable): otherwise backendSeconds is null.
 */
export async function watchCpu(adminUrl: string, database: string): Promise<CpuWatch> {
  let pid: number | undefined;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const last = new Map<number, number>();
  // backends connected before the watch (the bench's own, say) count from their first reading; those that
  // connect later, from nothing
  const before = new Map<number, number>();
  let first = true;
  let own: number | null = null;
  let stopped = false;
  const poll = async () => {
    const rows = (
      await client.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [database],
      )
    ).rows;
    for (const r of rows) {
      const ms = procCpuMs(`/proc/${r.pid}/stat`);
      if (ms === null) continue;
      if (first) before.set(r.pid, ms);
      last.set(r.pid, ms);
    }
    first = false;
    if (pid !== undefined) own = procCpuMs(`/proc/${pid}/stat`) ?? own;
  };
  await poll(); // the backends connected before the watch
  const loop = (async () => {
    while (!stopped) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    follow(p) {
      pid = p;
    },
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      let backendMs = 0;
      for (const [pid, ms] of last) backendMs += ms - (before.get(pid) ?? 0);
      return {
        processSeconds: own === null ? null : own / 1000,
        backendSeconds: last.size > 0 ? backendMs / 1000 : null,
      };
    },
  };
}
