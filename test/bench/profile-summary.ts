/**
 * Sums the self time of every function in the worker's CPU profiles (written by `run.ts --profile`)
 * and prints the heaviest functions and the share of each code area.
 * Run: npx ts-node --transpile-only test/bench/profile-summary.ts <profile dir> [top]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const AREAS: [string, RegExp][] = [
  ['our workflow code (bundle)', /bundle|workflows[\\/](review|gate|details|state-machine|step-options)|src[\\/]definition/],
  ['our activities and worker', /[\\/](activities|workers)[\\/]/],
  ['Temporal SDK (JS)', /@temporalio/],
  ['zod', /[\\/]zod[\\/]/],
  ['pino', /[\\/]pino|sonic-boom|thread-stream/],
  ['ts-node / TypeScript', /ts-node|typescript/],
  ['Node internals', /^node:|^internal[\\/]/],
];

function areaOf(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : 'native / unattributed';
  return AREAS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? 'other JS';
}

function profilesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return profilesIn(path);
    return name.endsWith('.cpuprofile') ? [path] : [];
  });
}

function main(): void {
  const dir = process.argv[2];
  const top = Number(process.argv[3] ?? 30);
  if (!dir) throw new Error('usage: profile-summary.ts <profile dir> [top]');
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const file of profilesIn(dir)) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id)?.callFrame;
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      if (!frame || frame.functionName === '(idle)') return;
      total += ms;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split(/[\\/]/).slice(-2).join('/')}:${frame.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      const area = areaOf(frame);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
    });
  }
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(1)}%`.padStart(6);
  process.stdout.write(`busy CPU in profiles: ${(total / 1000).toFixed(2)} s\n\nby area:\n`);
  for (const [area, ms] of [...byArea].sort((a, b) => b[1] - a[1])) process.stdout.write(`${pct(ms)}  ${area}\n`);
  process.stdout.write(`\ntop ${top} functions by self time:\n`);
  for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(ms)}  ${name}\n`);
}

main();
