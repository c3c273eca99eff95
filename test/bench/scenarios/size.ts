/**
 * 4. Size of a review: wide fan-outs and long chains of 100 to 5,000 steps.
 *
 * Each review runs once on a dev server with the project's worker (one worker process per case); that
 * gives its wall time, events per step and continue-as-new count. Once all are recorded, the history of
 * every run of each review is replayed in this process (`Worker.runReplayHistories` on the benchmark's
 * bundle; a warm-up on the smallest reviews, then several rounds over all of them, so a change in the
 * machine's load hits every size alike). Replay runs the workflow code for each activation the live
 * worker ran and nothing else, so its CPU divided by the steps is the workflow's CPU per step, free of
 * activities, polling and server round trips. Flat CPU per step from 100 to 5,000 steps means one pass
 * of the dispatch loop costs O(changed steps), not O(all steps). A hand-written chain (the SDK's floor
 * for a step) is replayed alongside, and in full runs (or with --profile) the largest reviews are
 * replayed once more under the V8 profiler to show where the CPU goes.
 *
 * By default the reviews are recorded on a second dev server (see ../eager-server.ts), apart from the other
 * scenarios' load; `--size-server shared` records on the benchmark's own server instead.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Pipeline } from '../../../src/definition/schema';
import type { Scenario, ScenarioContext } from '../context';
import { startEagerServer, type EagerServer } from '../eager-server';
import { fetchRunHistories, summarizeRuns, type RunHistory } from '../history';
import { chain, wide } from '../pipelines';
import { profileReplay, timeReplays, type ReplayTiming } from '../replay';
import { summarizeProfile, type ProfileSummary } from '../replay-profile';
import type { Figure, Table } from '../report';
import { startHand, startOurs } from '../starters';
import { median, rangeText, round, sleep, spread, type Spread } from '../stats';
import { withWorker, type BenchContext, type WorkerProcess } from '../worker-process';

/** `hand-chain`: the hand-written chain of hand-written-workflows.ts, the SDK's floor for a chain step. */
type Shape = 'wide' | 'chain' | 'hand-chain';

interface ReplayResult {
  repetitions: number;
  runs: number;
  /** Replay CPU per step, ms: median, min and max over the measured repetitions. */
  cpuMsPerStep: Spread;
  /** Replay elapsed time per step, ms. */
  wallMsPerStep: Spread;
  cpuMs: number[];
  wallMs: number[];
}

interface Case {
  shape: Shape;
  steps: number;
  finished: boolean;
  /** Why the worker process died during this case, if it did. */
  crash?: string;
  stepsDone: number;
  wallSeconds: number;
  msPerStep: number;
  events: number;
  eventsPerStep: number;
  continuedAsNew: number;
  workerCpuSeconds: number;
  workerCpuMsPerStep: number;
  serverCpuSeconds: number;
  replay?: ReplayResult;
  replayError?: string;
}

/** Where the reviews run: a client, what worker processes need to connect, and the server's CPU. */
interface Recorder {
  client: Client;
  bench: BenchContext;
  serverCpuSeconds(): number;
  description: string;
}

const MAX_PARALLEL = 50;
const FULL_SIZES = [100, 500, 1_000, 5_000];
const QUICK_SIZES = [100, 500];
const TARGET_RATIO = 1.5;
/**
 * History events per step, beside about 10 per run of the review (its start, first workflow task and end or
 * continue-as-new): a chain's floor is
 * 6 (scheduled, started and completed of the step's activity, and of the workflow task that schedules the next),
 * as for the hand-written chain; a wide review's workflow tasks each handle many step completions.
 */
const EVENTS_PER_STEP: Partial<Record<Shape, number>> = { chain: 6, wide: 4 };
const EVENTS_PER_RUN = 10;
/** The hand-written chain stays below the size at which Temporal suggests continue-as-new (it never continues as new). */
const HAND_STEPS = 500;

interface Recorded {
  result: Omit<Case, 'replay' | 'replayError'>;
  id: string;
  runs: RunHistory[];
}

function start(rec: Recorder, prefix: string, shape: Shape, steps: number, id: string): Promise<WorkflowHandle> {
  if (shape === 'hand-chain') return startHand(rec.client, 'handChainWorkflow', { taskQueuePrefix: prefix, pipeline: 'chain', length: steps }, id);
  const pipeline: Pipeline = shape === 'wide' ? wide(steps, MAX_PARALLEL) : chain(steps);
  return startOurs(rec.client, pipeline, { prefix, id });
}

async function recordCase(rec: Recorder, prefix: string, shape: Shape, steps: number, timeoutMs: number, worker: WorkerProcess): Promise<Recorded> {
  const id = `${prefix}-${shape}-${steps}`;
  const cpuBefore = (await worker.stats()).cpuSeconds;
  const serverBefore = rec.serverCpuSeconds();
  const began = Date.now();
  const handle = await start(rec, prefix, shape, steps, id);
  const firstRunId = (await handle.describe()).runId;
  let crash: string | undefined;
  const finished = await Promise.race([
    handle.result().then(() => true),
    sleep(timeoutMs).then(() => false),
    worker.crashed.then((reason) => {
      crash = reason;
      return false;
    }),
  ]);
  const wallMs = Date.now() - began;
  const workerCpuSeconds = crash ? Number.NaN : (await worker.stats()).cpuSeconds - cpuBefore;
  const serverCpuSeconds = rec.serverCpuSeconds() - serverBefore;
  if (!finished) await rec.client.workflow.getHandle(id).terminate('benchmark stopped this case');
  const runs = await fetchRunHistories(rec.client, id, firstRunId);
  const history = summarizeRuns(runs);
  // An unfinished review is measured over the steps whose activity closed before it was stopped.
  const stepsDone = finished ? steps : history.activities.filter((a) => Number.isFinite(a.closedMs)).length;
  const wallSeconds = finished ? (history.closedMs - history.startedMs) / 1000 : wallMs / 1000;
  const per = Math.max(1, stepsDone);
  return {
    id,
    runs,
    result: {
      shape,
      steps,
      finished,
      ...(crash ? { crash } : {}),
      stepsDone,
      wallSeconds: round(wallSeconds, 2),
      msPerStep: round((wallSeconds * 1000) / per, 2),
      events: history.events,
      eventsPerStep: round(history.events / per, 2),
      continuedAsNew: history.continuedAsNew,
      workerCpuSeconds: round(workerCpuSeconds, 2),
      workerCpuMsPerStep: round((workerCpuSeconds * 1000) / per, 2),
      serverCpuSeconds: round(serverCpuSeconds, 2),
    },
  };
}

function replayResult(timing: ReplayTiming, recorded: Recorded, repetitions: number): ReplayResult {
  const per = Math.max(1, recorded.result.stepsDone);
  const perStep = (values: number[]) => {
    const s = spread(values.map((v) => v / per));
    return { median: round(s.median, 3), min: round(s.min, 3), max: round(s.max, 3) };
  };
  return {
    repetitions,
    runs: recorded.runs.length,
    cpuMsPerStep: perStep(timing.cpuMs),
    wallMsPerStep: perStep(timing.wallMs),
    cpuMs: timing.cpuMs.map((v) => round(v, 1)),
    wallMs: timing.wallMs.map((v) => round(v, 1)),
  };
}

function replayText(c: Case): string {
  if (!c.replay) return `n/a${c.replayError ? ` (${c.replayError})` : ''}`;
  const s = c.replay.cpuMsPerStep;
  return `${s.median} ms (${s.min}–${s.max})`;
}

/** Largest over smallest median replay CPU per step across the sizes of one shape. */
function cpuRatio(own: Case[]): number {
  const medians = own.map((c) => c.replay?.cpuMsPerStep.median ?? Number.NaN);
  if (medians.length < 2 || medians.some((m) => !Number.isFinite(m) || m <= 0)) return Number.NaN;
  return Math.max(...medians) / Math.min(...medians);
}

/** The same ratio within each replay round (the sizes of a round are replayed one after the other). */
function roundRatios(own: Case[]): number[] {
  const rounds = Math.min(...own.map((c) => c.replay?.cpuMs.length ?? 0));
  if (own.length < 2 || !Number.isFinite(rounds)) return [];
  return Array.from({ length: rounds }, (_, r) => {
    const perStep = own.map((c) => (c.replay?.cpuMs[r] ?? Number.NaN) / Math.max(1, c.stepsDone));
    return Math.max(...perStep) / Math.min(...perStep);
  });
}

function shapeFigures(cases: Case[], shape: Shape, repetitions: number): Figure[] {
  const own = cases.filter((c) => c.shape === shape);
  const rows: Figure[] = own.map((c) => ({
    figure: `${shape} ${c.steps}: workflow CPU per step (replay, median of ${repetitions}, min–max)`,
    value: `${c.finished ? '' : 'NOT FINISHED: '}${replayText(c)}`,
  }));
  const ratio = cpuRatio(own);
  const perRound = roundRatios(own);
  const roundText = perRound.length ? ` (within one round: median ${round(median(perRound), 2)}, ${rangeText(perRound)})` : '';
  rows.push({
    figure: `${shape}: workflow CPU per step, largest / smallest median (${own.map((c) => c.steps).join(', ')} steps)`,
    value: `${round(ratio, 2)}${roundText}`,
    target: `≤ ${TARGET_RATIO}`,
    met: Number.isFinite(ratio) && ratio <= TARGET_RATIO && own.every((c) => c.finished),
  });
  const eventTarget = EVENTS_PER_STEP[shape];
  for (const c of own) {
    rows.push({
      figure: `${shape} ${c.steps}: wall / per step / events per step / continue-as-new`,
      value: `${c.finished ? '' : `NOT FINISHED (${c.crash ?? 'time limit'}; ${c.stepsDone} done) `}${c.wallSeconds} s / ${c.msPerStep} ms / ${c.eventsPerStep} / ${c.continuedAsNew}`,
      ...(eventTarget
        ? {
            target: `≤ ${eventTarget} events per step (+${EVENTS_PER_RUN} per run)`,
            met: c.finished && c.eventsPerStep <= eventTarget + (EVENTS_PER_RUN * (c.continuedAsNew + 1)) / c.steps,
          }
        : {}),
    });
  }
  const perStep = own.filter((c) => c.finished).map((c) => c.msPerStep);
  const wallSpread = perStep.length === own.length && perStep.length > 0 ? Math.max(...perStep) / Math.min(...perStep) : Number.POSITIVE_INFINITY;
  rows.push({
    figure: `${shape}: slowest / fastest wall time per step`,
    value: round(wallSpread, 2),
    // A chain's steps each wait for the one before, so its time per step should not grow with its length. A wide
    // review's fixed costs spread over its steps: its small sizes are slower per step by design.
    ...(shape === 'chain' ? { target: `≤ ${TARGET_RATIO}`, met: wallSpread <= TARGET_RATIO } : {}),
  });
  const last = own[own.length - 1];
  rows.push({ figure: `${shape}: worker / server CPU s at ${last?.steps} steps`, value: `${last?.workerCpuSeconds} / ${last?.serverCpuSeconds}` });
  return rows;
}

/** The hand-written chain's replay CPU per step, and ours over it (per round, the two replayed back to back). */
function baselineFigures(hand: Case | undefined, ours: Case | undefined): Figure[] {
  if (!hand) return [];
  const rows: Figure[] = [{ figure: `hand-written chain ${hand.steps} (the SDK's floor): workflow CPU per step`, value: replayText(hand) }];
  if (ours?.replay && hand.replay) {
    const perRound = ours.replay.cpuMs.map((v, r) => v / Math.max(1, ours.stepsDone) / ((hand.replay?.cpuMs[r] ?? Number.NaN) / Math.max(1, hand.stepsDone)));
    rows.push({
      figure: `chain ${ours.steps}: workflow CPU per step, ours / hand-written (per round: median, min–max)`,
      value: `${round(median(perRound), 2)} (${round(Math.min(...perRound), 2)}–${round(Math.max(...perRound), 2)})`,
    });
  }
  return rows;
}

function table(cases: Case[], repetitions: number): Table {
  return {
    title: `workflow CPU per step by replay (median of ${repetitions} replays, min–max) and the recording run`,
    columns: [
      'shape',
      'steps',
      'workflow CPU ms/step',
      'min–max',
      'replay wall ms/step',
      'events/step',
      'runs',
      'recording wall s',
      'recording ms/step',
      'worker CPU ms/step (live)',
    ],
    rows: cases.map((c) => [
      c.shape,
      c.finished ? c.steps : `${c.steps} (${c.stepsDone} done)`,
      c.replay?.cpuMsPerStep.median ?? Number.NaN,
      c.replay ? `${c.replay.cpuMsPerStep.min}–${c.replay.cpuMsPerStep.max}` : (c.replayError ?? 'n/a'),
      c.replay?.wallMsPerStep.median ?? Number.NaN,
      c.eventsPerStep,
      c.continuedAsNew + 1,
      c.wallSeconds,
      c.msPerStep,
      c.workerCpuMsPerStep,
    ]),
  };
}

const pct = (part: number, whole: number): string => `${round((100 * part) / whole, 1)}%`;

/** Replay profiles side by side: CPU by area, the heaviest functions, and our workflow functions (callees included). */
function profileTables(profiles: { label: string; steps: number; summary: ProfileSummary }[]): Table[] {
  if (profiles.length === 0) return [];
  const shareOf = (rows: [string, number][], key: string, total: number) => pct(rows.find(([k]) => k === key)?.[1] ?? 0, total);
  const keysOf = (pick: (s: ProfileSummary) => [string, number][], top: number) => {
    const best = new Map<string, number>();
    for (const p of profiles) for (const [k, ms] of pick(p.summary).slice(0, top)) best.set(k, Math.max(best.get(k) ?? 0, ms / p.summary.totalMs));
    return [...best]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k]) => k);
  };
  const columns = (first: string) => [first, ...profiles.map((p) => p.label)];
  return [
    {
      title: `replay CPU profile by area (share of sampled CPU; sampled ms per step: ${profiles.map((p) => `${p.label} ${round(p.summary.totalMs / p.steps, 2)}`).join(', ')})`,
      columns: columns('area'),
      rows: keysOf((s) => s.areas, 20).map((area) => [area, ...profiles.map((p) => shareOf(p.summary.areas, area, p.summary.totalMs))]),
    },
    {
      title: 'replay CPU profile: heaviest functions by self time',
      columns: columns('function'),
      rows: keysOf((s) => s.functions, 12).map((fn) => [fn, ...profiles.map((p) => shareOf(p.summary.functions, fn, p.summary.totalMs))]),
    },
    {
      title: 'replay CPU profile: our workflow functions, time inside them (callees included)',
      columns: columns('function'),
      rows: keysOf((s) => s.ourInclusive, 10).map((fn) => [fn, ...profiles.map((p) => shareOf(p.summary.ourInclusive, fn, p.summary.totalMs))]),
    },
  ];
}

async function recorder(ctx: ScenarioContext): Promise<{ rec: Recorder; close(): Promise<void> }> {
  const bench: BenchContext = { address: ctx.env.address, bundlePath: ctx.env.bundlePath, workerEntry: ctx.env.workerEntry, ...(ctx.env.profileDir ? { profileDir: ctx.env.profileDir } : {}) };
  if (ctx.options.sizeServer === 'shared') {
    return {
      rec: { client: ctx.env.client, bench, serverCpuSeconds: ctx.env.serverCpuSeconds, description: `the benchmark's dev server (${ctx.env.storage})` },
      close: async () => undefined,
    };
  }
  const server: EagerServer = await startEagerServer();
  return {
    rec: {
      client: server.client,
      bench: { ...bench, address: server.address },
      serverCpuSeconds: server.serverCpuSeconds,
      description: 'a second in-memory dev server, same dynamic config (eager activity dispatch included)',
    },
    close: () => server.close(),
  };
}

export const sizeScenario: Scenario = {
  name: 'size',
  async run(ctx) {
    const sizes = ctx.options.sizeSteps ?? (ctx.quick ? QUICK_SIZES : FULL_SIZES);
    const repetitions = ctx.options.replays ?? (ctx.quick ? 3 : 5);
    const budgetMs = ctx.quick ? 180_000 : 1_500_000;
    const capMs = (steps: number) => Math.max(60_000, steps * 200);
    const prefix = ctx.prefix('size');
    const stepSlots = MAX_PARALLEL;
    const deadline = Date.now() + budgetMs;
    const handSteps = Math.min(HAND_STEPS, Math.max(...sizes));
    const loadAtStart = loadavg()[0] as number;
    const recorded: Recorded[] = [];
    const { rec, close } = await recorder(ctx);
    try {
      for (const steps of sizes) {
        for (const shape of ['wide', 'chain'] as const) {
          const timeoutMs = Math.max(5_000, Math.min(capMs(steps), deadline - Date.now()));
          // A worker per case: a crash in one case must not take the others with it.
          const r = await withWorker(rec.bench, { prefix, stepSlots }, (worker) => recordCase(rec, prefix, shape, steps, timeoutMs, worker));
          recorded.push(r);
          process.stdout.write(`   size: ${shape} ${steps} recorded in ${r.result.wallSeconds} s (${r.result.events} events, ${r.runs.length} runs)\n`);
        }
      }
      const timeoutMs = Math.max(5_000, Math.min(capMs(handSteps), deadline - Date.now()));
      recorded.push(await withWorker(rec.bench, { prefix, stepSlots }, (worker) => recordCase(rec, prefix, 'hand-chain', handSteps, timeoutMs, worker)));
    } finally {
      await close();
    }
    // Replayed once all are recorded, in rounds over every case, with the smallest of each shape as warm-up.
    const cases: Case[] = recorded.map((r) => ({ ...r.result }));
    const warmup = (['wide', 'chain'] as const).flatMap((shape) => recorded.filter((r) => r.result.shape === shape).slice(0, 1));
    const began = Date.now();
    const loadBefore = loadavg()[0] as number;
    try {
      const timings = await timeReplays(ctx.env.bundlePath, recorded.map((r) => ({ workflowId: r.id, runs: r.runs })), repetitions, warmup.map((r) => ({ workflowId: r.id, runs: r.runs })));
      timings.forEach((timing, i) => ((cases[i] as Case).replay = replayResult(timing, recorded[i] as Recorded, repetitions)));
    } catch (err) {
      for (const c of cases) c.replayError = err instanceof Error ? err.message : String(err);
    }
    const replaySeconds = Math.round((Date.now() - began) / 1000);
    const loadAtEnd = loadavg()[0] as number;
    process.stdout.write(`   size: replayed ${recorded.length} reviews ${repetitions} times in ${replaySeconds} s\n`);
    // Where the CPU goes at the largest size (and in the hand-written chain): one more replay under the sampling profiler.
    const profiles: { label: string; steps: number; summary: ProfileSummary }[] = [];
    if (!ctx.quick || ctx.env.profileDir) {
      const largest = Math.max(...sizes);
      const dir = join(ctx.env.profileDir ?? join(__dirname, '..', 'results', 'profiles'), 'size-replay');
      const bundleText = readFileSync(ctx.env.bundlePath, 'utf8');
      for (const r of recorded.filter((x) => x.result.steps === largest || x.result.shape === 'hand-chain')) {
        const file = join(dir, `${r.result.shape}-${r.result.steps}.cpuprofile`);
        try {
          const profile = await profileReplay(ctx.env.bundlePath, r.id, r.runs, file);
          profiles.push({ label: `${r.result.shape} ${r.result.steps}`, steps: Math.max(1, r.result.stepsDone), summary: summarizeProfile(profile, ctx.env.bundlePath, bundleText) });
          process.stdout.write(`   size: replay profile written to ${file}\n`);
        } catch (err) {
          process.stdout.write(`   size: profiling ${file} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    }
    const order = (shape: Shape) => cases.filter((c) => c.shape === shape);
    const hand = order('hand-chain')[0];
    const ours = order('chain').find((c) => c.steps === hand?.steps);
    return {
      name: 'size',
      title: '4. Size of a review',
      conditions: {
        sizes: sizes.join(', '),
        shapes: `wide (root → n-2 parallel → join, maxParallel ${MAX_PARALLEL}) and chain; hand-written chain of ${handSteps} as the SDK's floor`,
        activity: 'echo no-op',
        stepSlots,
        recordedOn: rec.description,
        replays: `${repetitions} rounds over all reviews after a warm-up on the smallest, in the benchmark process (${replaySeconds} s)`,
        loadAverage: `${round(loadAtStart, 1)} at the start, ${round(loadBefore, 1)} when the replays began, ${round(loadAtEnd, 1)} at the end`,
        historyLimit: 'none (continue-as-new when Temporal suggests it)',
        timeLimitPerCase: `min(max(60 s, 200 ms × steps), what is left of a ${budgetMs / 1000} s budget)`,
        cores: ctx.cores,
      },
      figures: [...shapeFigures(cases, 'wide', repetitions), ...shapeFigures(cases, 'chain', repetitions), ...baselineFigures(hand, ours)],
      tables: [table([...order('wide'), ...order('chain'), ...order('hand-chain')], repetitions), ...profileTables(profiles)],
      notes: [
        'workflow CPU: user + system CPU of the benchmark process while Worker.runReplayHistories replays every run of the review, divided by its steps; replay runs the workflow code of every activation (bundle, SDK sandbox and core) and no activity, poll or server call',
        'wall time from WorkflowExecutionStarted of the first run to the close of the last run',
        'events counted over every run of the review',
        'worker CPU (live): the worker process while the review ran, activities and polling included',
      ],
      details: cases,
    };
  },
};
