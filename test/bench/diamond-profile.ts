/**
 * Where a diamond's workflow CPU goes, ours against hand-written: records diamonds of each kind on a dev
 * server, replays them in alternating rounds (CPU per review), then profiles one more replay of each
 * kind. Run: npx ts-node --transpile-only test/bench/diamond-profile.ts [reviews=40] [rounds=6]
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Worker } from '@temporalio/worker';
import { promiseHooks } from 'node:v8';
import { startBenchEnvironment } from './environment';
import { fetchRunHistories, type RunHistory } from './history';
import { diamond } from './pipelines';
import { timeReplays } from './replay';
import { summarizeProfile, type CpuProfile } from './replay-profile';
import { startHand, startOurs } from './starters';
import { median, round } from './stats';
import { withWorker } from './worker-process';

async function profile(bundlePath: string, cases: { workflowId: string; runs: RunHistory[] }[]): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const all = cases.flatMap((c) => c.runs.map((r) => ({ workflowId: c.workflowId, history: r.history })));
  let n = 0;
  let out: unknown;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: 'diamond-profile' }, [...all, ...all])) {
    if (result.error) throw result.error;
    n += 1;
    if (n === all.length) await session.post('Profiler.start');
    if (n === 2 * all.length) out = (await session.post('Profiler.stop')).profile;
  }
  session.disconnect();
  return out as CpuProfile;
}

async function main(): Promise<void> {
  const reviews = Number(process.argv[2] ?? 40);
  const rounds = Number(process.argv[3] ?? 6);
  const env = await startBenchEnvironment({ sqlite: false });
  try {
    const prefix = `dp-${Date.now().toString(36)}`;
    const ids = await withWorker(env, { prefix, stepSlots: 50 }, async () => {
      const ours: string[] = [];
      const hand: string[] = [];
      for (let i = 0; i < reviews; i++) {
        const o = `${prefix}-ours-${i}`;
        const h = `${prefix}-hand-${i}`;
        await (await startOurs(env.client, diamond(), { prefix, id: o })).result();
        await (await startHand(env.client, 'handDiamondWorkflow', { taskQueuePrefix: prefix, pipeline: diamond().name }, h)).result();
        ours.push(o);
        hand.push(h);
      }
      return { ours, hand };
    });
    const load = async (list: string[]) => Promise.all(list.map(async (workflowId) => ({ workflowId, runs: await fetchRunHistories(env.client, workflowId) })));
    const ours = await load(ids.ours);
    const hand = await load(ids.hand);
    const both = [...ours, ...hand];
    if (process.env.COUNT_VM) {
      const vm = await import('node:vm');
      const orig = vm.Script.prototype.runInContext;
      let calls = 0;
      let ms = 0;
      let withTimeout = 0;
      vm.Script.prototype.runInContext = function (this: InstanceType<typeof vm.Script>, ...args: Parameters<typeof orig>) {
        calls += 1;
        if ((args[1] as { timeout?: number } | undefined)?.timeout) withTimeout += 1;
        const t0 = performance.now();
        try {
          return orig.apply(this, args);
        } finally {
          ms += performance.now() - t0;
        }
      } as typeof orig;
      for (const [label, list] of [['ours', ours], ['hand', hand]] as const) {
        await timeReplays(env.bundlePath, list.slice(0, 5), 1);
        calls = 0;
        ms = 0;
        withTimeout = 0;
        await timeReplays(env.bundlePath, list, 1, []);
        console.log(`${label}: ${calls / list.length} VM entries per review (${withTimeout / list.length} with a timeout), ${(ms / list.length).toFixed(2)} ms inside them per review`);
      }
      return;
    }
    if (process.env.COUNT_PROMISES) {
      for (const [label, c] of [['ours', ours[0]], ['hand', hand[0]]] as const) {
        const counts = new Map<string, number>();
        let total = 0;
        let armed = false;
        const stop = promiseHooks.onInit(() => {
          if (!armed) return;
          const stack = (new Error().stack ?? '').split('\n').slice(2);
          const inBundle = stack.filter((l) => /webpack|workflows\/|hand-written|@temporalio\/workflow|@temporalio\/common/.test(l));
          if (inBundle.length === 0) return;
          const names = inBundle.slice(0, 4).map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(workflows|lib|bench)\//, '(').replace(/:\d+\)$/, ')'));
          const key = names.join(' < ');
          total += 1;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        });
        const runs = (c as { workflowId: string; runs: RunHistory[] }).runs;
        let n = 0;
        const hist = [...runs, ...runs].map((r) => ({ workflowId: (c as { workflowId: string }).workflowId, history: r.history }));
        for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: env.bundlePath }, replayName: 'bench-replay-count' }, hist)) {
          if (result.error) throw result.error;
          n += 1;
          if (n === runs.length) armed = true;
        }
        stop();
        console.log(`\n== promises created by one ${label} diamond (replay): ${total}`);
        for (const [k, v] of [...counts.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${v}  ${k}`);
      }
      return;
    }
    const timings = await timeReplays(env.bundlePath, both, rounds);
    const per = (from: number, to: number) => timings.slice(from, to).map((t) => t.cpuMs);
    const roundSums = (rows: number[][]) => Array.from({ length: rounds }, (_, r) => rows.reduce((s, row) => s + (row[r] ?? 0), 0) / rows.length);
    const o = roundSums(per(0, reviews));
    const h = roundSums(per(reviews, 2 * reviews));
    const ratios = o.map((x, i) => x / (h[i] as number));
    console.log(`replay CPU per review: ours ${round(median(o), 2)} ms, hand ${round(median(h), 2)} ms, ratio ${round(median(ratios), 2)} (${round(Math.min(...ratios), 2)}–${round(Math.max(...ratios), 2)})`);
    const bundleText = readFileSync(env.bundlePath, 'utf8');
    for (const [label, cases] of [['ours', ours], ['hand', hand]] as const) {
      const s = summarizeProfile(await profile(env.bundlePath, cases), env.bundlePath, bundleText);
      console.log(`\n== ${label}: sampled ${round(s.totalMs / cases.length, 3)} ms per review`);
      for (const [k, ms] of s.areas.slice(0, 8)) console.log(`  area ${k}: ${round(ms / cases.length, 3)}`);
      for (const [k, ms] of s.functions.slice(0, 25)) console.log(`  fn ${k}: ${round(ms / cases.length, 3)}`);
      if (label === 'ours') for (const [k, ms] of s.ourInclusive.slice(0, 25)) console.log(`  ours-incl ${k}: ${round(ms / cases.length, 3)}`);
    }
  } finally {
    await env.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
