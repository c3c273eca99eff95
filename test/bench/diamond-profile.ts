/**
 * Where a diamond's worker CPU goes, ours against hand-written. Records diamonds of each kind on a dev
 * server, then, by the first argument:
 * - `replay [dir]` (default): replay CPU per review in alternating rounds, then a V8 profile of one
 *   more replay of each kind, summed by area and function and written to <dir>/replay-<kind>.cpuprofile;
 * - `promises`: the promises one replayed diamond of each kind creates, by where they are created;
 * - `sandbox-calls`: the calls into the workflow sandbox per review (each starts a watchdog thread), and the
 *   CPU inside them over alternating rounds, in all and by call (the SDK function, an activation's jobs) (Linux);
 * - `events`: the history events of one diamond of each kind, with their sizes;
 * - `allocations`: the bytes one replayed diamond of each kind allocates, by the function allocating them
 *   (V8's sampling heap profiler, objects collected since included);
 * - `live <dir>`: 4 batches of diamonds per kind on a worker of its own under `--cpu-prof`, its CPU per
 *   review, profiles in <dir> (read them with profile-summary.ts; `none` for no profiles, e.g. under `perf`).
 * Run: npx ts-node --transpile-only test/bench/diamond-profile.ts [mode] [dir] (REVIEWS=40 ROUNDS=6)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { fetchRunHistories, type RunHistory } from './history';
import { diamond } from './pipelines';
import { timeReplays, type ReplayCase } from './replay';
import { summarizeProfile, type CpuProfile } from './replay-profile';
import { startHand, startOurs } from './starters';
import { median, rangeText, round } from './stats';
import { withWorker } from './worker-process';

type Kind = 'ours' | 'hand';
const KINDS: Kind[] = ['ours', 'hand'];
const REVIEWS = Number(process.env.REVIEWS ?? 40);
const ROUNDS = Number(process.env.ROUNDS ?? 6);

function start(env: BenchEnvironment, kind: Kind, prefix: string, id: string) {
  return kind === 'ours'
    ? startOurs(env.client, diamond(), { prefix, id })
    : startHand(env.client, 'handDiamondWorkflow', { taskQueuePrefix: prefix, pipeline: diamond().name }, id);
}

async function record(env: BenchEnvironment): Promise<Record<Kind, ReplayCase[]>> {
  const prefix = `dp-${Date.now().toString(36)}`;
  const ids = await withWorker(env, { prefix, stepSlots: 50 }, async () => {
    const out: Record<Kind, string[]> = { ours: [], hand: [] };
    for (let i = 0; i < REVIEWS; i++) {
      for (const kind of KINDS) {
        const id = `${prefix}-${kind}-${i}`;
        await (await start(env, kind, prefix, id)).result();
        out[kind].push(id);
      }
    }
    return out;
  });
  const load = (list: string[]) => Promise.all(list.map(async (workflowId) => ({ workflowId, runs: await fetchRunHistories(env.client, workflowId) })));
  return { ours: await load(ids.ours), hand: await load(ids.hand) };
}

function replayOf(env: BenchEnvironment, cases: ReplayCase[], name: string) {
  const histories = cases.flatMap((c) => c.runs.map((r: RunHistory) => ({ workflowId: c.workflowId, history: r.history })));
  return { count: histories.length, results: Worker.runReplayHistories({ workflowBundle: { codePath: env.bundlePath }, replayName: name }, [...histories, ...histories]) };
}

/** Replays `cases` twice; `measure` starts before the second pass and its result is returned after it. */
async function duringSecondPass<T>(env: BenchEnvironment, cases: ReplayCase[], begin: () => Promise<void> | void, end: () => Promise<T> | T): Promise<T> {
  const { count, results } = replayOf(env, cases, 'diamond-profile');
  let n = 0;
  let out: T | undefined;
  for await (const result of results) {
    if (result.error) throw result.error;
    n += 1;
    if (n === count) await begin();
    if (n === 2 * count) out = await end();
  }
  return out as T;
}

async function replayCpu(env: BenchEnvironment, cases: Record<Kind, ReplayCase[]>, dir: string): Promise<void> {
  const timings = await timeReplays(env.bundlePath, [...cases.ours, ...cases.hand], ROUNDS);
  const perRound = (from: number) => Array.from({ length: ROUNDS }, (_, r) => timings.slice(from, from + REVIEWS).reduce((s, t) => s + (t.cpuMs[r] ?? 0), 0) / REVIEWS);
  const ours = perRound(0);
  const hand = perRound(REVIEWS);
  const ratios = ours.map((o, i) => o / (hand[i] as number));
  console.log(`replay CPU per review: ours ${round(median(ours), 2)} ms, hand ${round(median(hand), 2)} ms, ratio ${round(median(ratios), 2)} (${rangeText(ratios)})`);
  const bundleText = readFileSync(env.bundlePath, 'utf8');
  for (const kind of KINDS) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    const profile = await duringSecondPass(
      env,
      cases[kind],
      () => session.post('Profiler.start').then(() => undefined),
      async () => (await session.post('Profiler.stop')).profile as unknown as CpuProfile,
    );
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `replay-${kind}.cpuprofile`), JSON.stringify(profile));
    const s = summarizeProfile(profile, env.bundlePath, bundleText);
    const per = (ms: number) => round(ms / cases[kind].length, 3);
    console.log(`\n== ${kind}: sampled ${per(s.totalMs)} ms per review`);
    for (const [k, ms] of s.areas.slice(0, 8)) console.log(`  area ${k}: ${per(ms)}`);
    for (const [k, ms] of s.functions.slice(0, 25)) console.log(`  fn ${k}: ${per(ms)}`);
    for (const [k, ms] of s.functions.filter(([f]) => / (workflows|src)\//.test(f)).slice(0, 40)) console.log(`  our-fn ${k}: ${per(ms)}`);
    if (kind === 'ours') for (const [k, ms] of s.ourInclusive.slice(0, 25)) console.log(`  ours-incl ${k}: ${per(ms)}`);
  }
}

async function promisesCreated(env: BenchEnvironment, cases: Record<Kind, ReplayCase[]>): Promise<void> {
  for (const kind of KINDS) {
    const counts = new Map<string, number>();
    let armed = false;
    let depth = 0;
    const stop = promiseHooks.onInit(() => {
      if (!armed) return;
      const frames = (new Error().stack ?? '').split('\n').slice(2).filter((l) => /workflows\/|hand-written|@temporalio\/workflow/.test(l));
      if (frames.length === 0) return;
      depth += frames.length;
      const key = frames.slice(0, 3).map((l) => l.trim().replace(/^at /, '')).join(' < ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    await duringSecondPass(env, cases[kind].slice(0, 1), () => void (armed = true), () => void (armed = false));
    stop();
    const created = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`\n== promises created in the sandbox by one ${kind} diamond: ${created}, with ${round2(depth / created)} workflow-code frames each on average`);
    for (const [k, v] of [...counts.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${v}  ${k}`);
  }
}

const round2 = (n: number) => round(n, 2);

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

async function allocations(env: BenchEnvironment, cases: Record<Kind, ReplayCase[]>): Promise<void> {
  const bundleName = env.bundlePath.split('/').pop() as string;
  const bundleLines = readFileSync(env.bundlePath, 'utf8').split('\n');
  const where = (f: SamplingNode['callFrame']) =>
    f.url.endsWith(bundleName) ? `bundle:${f.lineNumber + 1} ${(bundleLines[f.lineNumber] ?? '').trim().slice(0, 60)}` : `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  for (const kind of KINDS) {
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.enable');
    const profile = await duringSecondPass(
      env,
      cases[kind],
      () => session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never).then(() => undefined),
      async () => (await session.post('HeapProfiler.stopSampling')).profile as unknown as { head: SamplingNode },
    );
    session.disconnect();
    const bytes = new Map<string, number>();
    const visit = (n: SamplingNode) => {
      const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}`;
      bytes.set(key, (bytes.get(key) ?? 0) + n.selfSize);
      n.children.forEach(visit);
    };
    visit(profile.head);
    const total = [...bytes.values()].reduce((a, b) => a + b, 0);
    const per = (b: number) => round(b / 1024 / cases[kind].length, 1);
    console.log(`\n== ${kind}: ${per(total)} KiB allocated per review`);
    const sorted = [...bytes.entries()].sort((a, b) => b[1] - a[1]);
    for (const [k, b] of sorted.slice(0, 30)) console.log(`  ${per(b)} KiB  ${k}`);
    const inBundle = sorted.filter(([k]) => k.includes(' bundle:'));
    console.log(`  -- in the workflow bundle: ${per(inBundle.reduce((a, [, b]) => a + b, 0))} KiB, most:`);
    for (const [k, b] of inBundle.slice(0, 15)) console.log(`  ${per(b)} KiB  ${k}`);
  }
}

/**
 * What a call into the sandbox does: the SDK function the worker called (`__temporal_args`, set by the
 * reusable context just before the call), and for `activate` the kinds of its jobs.
 */
function callKind(context: unknown): string {
  const [, fn, args] = ((context as { __temporal_args?: unknown[] })?.__temporal_args ?? []) as [unknown, string?, unknown[]?];
  if (fn !== 'activate') return fn ?? 'other';
  const jobs = ((args?.[0] as { jobs?: Record<string, unknown>[] })?.jobs ?? []).map((job) => Object.keys(job).find((k) => k !== 'variant' && job[k] != null) ?? '?');
  return `activate ${jobs.join('+')}`;
}

async function sandboxCalls(env: BenchEnvironment, cases: Record<Kind, ReplayCase[]>): Promise<void> {
  const original = vm.Script.prototype.runInContext;
  let calls = 0;
  const msByCall = new Map<string, number>();
  // CPU of this thread (the replays run their sandboxes on it), in ns: wall time counted other processes too.
  const threadCpuNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  vm.Script.prototype.runInContext = function (this: vm.Script, ...args: Parameters<typeof original>) {
    calls += 1;
    const call = callKind(args[0]);
    const t0 = threadCpuNs();
    try {
      return original.apply(this, args);
    } finally {
      msByCall.set(call, (msByCall.get(call) ?? 0) + (threadCpuNs() - t0) / 1e6);
    }
  } as typeof original;
  for (const kind of KINDS) await timeReplays(env.bundlePath, cases[kind].slice(0, 5), 1);
  const inside: Record<Kind, number[]> = { ours: [], hand: [] };
  const byCall: Record<Kind, Map<string, number[]>> = { ours: new Map(), hand: new Map() };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      calls = 0;
      msByCall.clear();
      await timeReplays(env.bundlePath, cases[kind], 1, []);
      inside[kind].push([...msByCall.values()].reduce((a, b) => a + b, 0) / cases[kind].length);
      for (const [call, used] of msByCall) byCall[kind].set(call, [...(byCall[kind].get(call) ?? []), used / cases[kind].length]);
      if (round === 0) console.log(`${kind}: ${round2(calls / cases[kind].length)} calls into the sandbox per review`);
    }
  }
  const ratios = inside.ours.map((o, i) => o / (inside.hand[i] as number));
  console.log(`CPU ms inside the sandbox per review, median of ${ROUNDS}: ours ${round2(median(inside.ours))}, hand ${round2(median(inside.hand))}; ratio ${round2(median(ratios))} (${rangeText(ratios)})`);
  console.log('by call (ms per review, median of the rounds), ours / hand:');
  const callKinds = [...new Set([...byCall.ours.keys(), ...byCall.hand.keys()])];
  const med = (kind: Kind, call: string) => median(byCall[kind].get(call) ?? [0]);
  for (const call of callKinds.sort((a, b) => med('ours', b) - med('ours', a))) {
    console.log(`  ${call}: ${med('ours', call).toFixed(3)} / ${med('hand', call).toFixed(3)}`);
  }
  vm.Script.prototype.runInContext = original;
}

function events(cases: Record<Kind, ReplayCase[]>): void {
  for (const kind of KINDS) {
    const list = (cases[kind][0]?.runs ?? []).flatMap((r) => r.history.events ?? []);
    console.log(`${kind} (${list.length}): ${list.map((e) => String(e.eventType).replace('EVENT_TYPE_', '')).join(' ')}`);
    const bytes = list.map((e) => temporal.api.history.v1.HistoryEvent.encode(temporal.api.history.v1.HistoryEvent.fromObject(e)).finish().length);
    console.log(`${kind}: ${bytes.reduce((a, b) => a + b, 0)} bytes of history; by event: ${bytes.join(' ')}`);
  }
}

async function live(env: BenchEnvironment, dir: string): Promise<void> {
  for (const kind of KINDS) {
    const prefix = `dpl-${kind}-${Date.now().toString(36)}`;
    const cpuMs = await withWorker(dir === 'none' ? env : { ...env, profileDir: dir }, { prefix, stepSlots: 50 }, async (worker) => {
      const before = await worker.stats();
      for (let batch = 0; batch < 4; batch++) {
        await Promise.all(Array.from({ length: REVIEWS }, async (_, i) => (await start(env, kind, prefix, `${prefix}-${batch}-${i}`)).result()));
      }
      return ((await worker.stats()).cpuSeconds - before.cpuSeconds) * 1000;
    });
    console.log(`${kind}: worker CPU ${round(cpuMs / (4 * REVIEWS), 1)} ms per review; profiles in ${dir}/${prefix}`);
  }
}

async function main(): Promise<void> {
  const [mode = 'replay', dir = 'test/bench/results/profiles/diamond'] = process.argv.slice(2);
  const env = await startBenchEnvironment({ sqlite: false });
  try {
    if (mode === 'live') return await live(env, dir);
    const cases = await record(env);
    if (mode === 'promises') return await promisesCreated(env, cases);
    if (mode === 'sandbox-calls') return await sandboxCalls(env, cases);
    if (mode === 'allocations') return await allocations(env, cases);
    if (mode === 'events') return events(cases);
    return await replayCpu(env, cases, dir);
  } finally {
    await env.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
