// CLUSTERSCOPE_IMPORT_STEPS=<file>: an import command says where its time and memory went. The bench
// spawns `clusterscope import` as users run it (a fresh process: its memory is the command's alone) and
// reads this file afterwards: each commit's steps (StepClock), the process's peak resident memory and its CPU
// time (all its threads, from start to exit: what the command cost one of the machine's cores).
import fs from 'node:fs';
import { settings } from '../../settings.ts';
import { onCommitSteps, type StepClock } from './hooks.ts';

let armed = false;

/** With the setting on, keeps every commit's steps in this process and writes them at exit (once). */
export function recordStepsAtExit(): void {
  const file = settings().CLUSTERSCOPE_IMPORT_STEPS;
  if (!file || armed) return;
  armed = true;
  const commits: { importId: number; steps: StepClock['steps'] }[] = [];
  onCommitSteps((importId, steps) => commits.push({ importId, steps: [...steps] }));
  process.once('exit', () => {
    // the kernel's high-water mark of this process (KiB): the peak, not a sample that may miss it
    const usage = process.resourceUsage();
    const maxRssMiB = Math.round(usage.maxRSS / 1024);
    const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    fs.writeFileSync(file, JSON.stringify({ maxRssMiB, cpuSeconds, commits }));
  });
}
