/**
 * Workflow CPU measured by replay: the recorded histories of reviews (every continue-as-new run) are
 * replayed in this process with `Worker.runReplayHistories` on the benchmark's bundle. Replay runs the
 * workflow code for every activation the live worker ran, without activities, pollers or server round
 * trips, so the CPU it takes is the workflow's own cost (our code plus the SDK's sandbox and core).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { RunHistory } from './history';
import type { CpuProfile } from './replay-profile';

export interface ReplayTiming {
  /** Process CPU (user + system, every thread) of each measured repetition, in ms. */
  cpuMs: number[];
  /** Elapsed time of each measured repetition, in ms. */
  wallMs: number[];
}

let runtimeReady = false;

/** Replay workers log through the SDK runtime; keep it to warnings unless something installed one already. */
function quietRuntime(): void {
  if (runtimeReady) return;
  runtimeReady = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // A runtime exists already: use it as it is.
  }
}

const cpuMsNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** One review to replay: its workflow id and the history of each of its runs, first to last. */
export interface ReplayCase {
  workflowId: string;
  runs: readonly RunHistory[];
}

/**
 * Replays the cases in rounds in one replay worker: first the `warmup` cases once (loading the bundle
 * into the V8 context and warming up the JIT), then every case in turn, `repetitions` times over. Each
 * case is timed from the start of its first run to the end of its last; interleaving the cases spreads
 * any change in the machine's load over all of them alike. Throws if any run fails to replay (a
 * nondeterminism or any other replay error).
 */
export async function timeReplays(bundlePath: string, cases: readonly ReplayCase[], repetitions: number, warmup: readonly ReplayCase[] = cases): Promise<ReplayTiming[]> {
  if (cases.some((c) => c.runs.length === 0)) throw new Error('a case has no history to replay');
  quietRuntime();
  const sequence: { case: ReplayCase; run: number; timed?: number }[] = [];
  for (const c of warmup) c.runs.forEach((_, run) => sequence.push({ case: c, run }));
  for (let r = 0; r < repetitions; r++) cases.forEach((c, timed) => c.runs.forEach((_, run) => sequence.push({ case: c, run, timed })));
  function* histories() {
    for (const item of sequence) yield { workflowId: item.case.workflowId, history: (item.case.runs[item.run] as RunHistory).history };
  }
  const timings: ReplayTiming[] = cases.map(() => ({ cpuMs: [], wallMs: [] }));
  let replayed = 0;
  let cpuAt = cpuMsNow();
  let wallAt = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: 'bench-replay' }, histories())) {
    const item = sequence[replayed] as (typeof sequence)[number];
    if (result.error) throw new Error(`replay of ${item.case.workflowId} run ${result.runId} failed: ${result.error.message}`);
    replayed += 1;
    if (item.run !== item.case.runs.length - 1) continue;
    const cpu = cpuMsNow();
    const wall = performance.now();
    if (item.timed !== undefined) {
      const timing = timings[item.timed] as ReplayTiming;
      timing.cpuMs.push(cpu - cpuAt);
      timing.wallMs.push(wall - wallAt);
    }
    cpuAt = cpu;
    wallAt = wall;
  }
  if (replayed !== sequence.length) throw new Error(`replay stopped after ${replayed} of ${sequence.length} runs`);
  return timings;
}

/**
 * Replays all runs of `workflowId` once more (after one warm-up) under the V8 sampling profiler and
 * writes the profile to `file` (read it with profile-summary.ts or Chrome DevTools). Replay runs the
 * workflow in this thread, so the profile holds the workflow code and the SDK's JavaScript side.
 */
export async function profileReplay(bundlePath: string, workflowId: string, runs: readonly RunHistory[], file: string): Promise<CpuProfile> {
  quietRuntime();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    let replayed = 0;
    let profile: unknown;
    function* histories() {
      for (let r = 0; r < 2; r++) for (const run of runs) yield { workflowId, history: run.history };
    }
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: 'bench-replay-profile' }, histories())) {
      if (result.error) throw new Error(`replay of ${workflowId} failed: ${result.error.message}`);
      replayed += 1;
      if (replayed === runs.length) await session.post('Profiler.start');
      if (replayed === 2 * runs.length) profile = (await session.post('Profiler.stop')).profile;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return profile as CpuProfile;
  } finally {
    session.disconnect();
  }
}
