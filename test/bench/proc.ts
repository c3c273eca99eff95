/** CPU time and memory of any process on this machine, read from /proc (Linux only). */
import { readdirSync, readFileSync } from 'node:fs';
import type { ThreadCpu } from './worker-messages';

const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU seconds in a /proc `stat` line; the command name before them may itself hold spaces. */
function cpuSecondsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** User plus system CPU seconds the process has used so far, or NaN when /proc cannot tell. */
export function processCpuSeconds(pid: number): number {
  try {
    return cpuSecondsOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of each thread of the process (its main thread named `main`), or none when /proc cannot tell. */
export function threadCpu(pid: number): ThreadCpu[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      return { tid: Number(tid), name, cpuSeconds: cpuSecondsOf(stat) };
    });
  } catch {
    return [];
  }
}

export function processRssBytes(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds the whole machine has spent busy so far (every core: user, system, interrupts), or NaN when /proc cannot tell. */
export function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
