/** Starts and steers the benchmark's worker process (worker-child.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { recommendedHeapFlag } from '../../workers/memory';
import type { Priority } from '../../src/definition/schema';
import type { ChildReport, ParentRequest, WorkerStats } from './worker-messages';

export interface WorkerSettings {
  prefix: string;
  /** Steps in parallel on the review queue `<prefix>`. */
  stepSlots: number;
  /** Tier step queues to serve too, with their slots (for reviews started with tier step queues). */
  tierSlots?: Partial<Record<Priority, number>>;
  workflowSlots?: number;
  /** REVIEW_CACHED_REVIEWS; the worker's default (from REVIEW_WORKER_MEMORY) when unset. */
  cachedReviews?: number;
  logLevel?: string;
}

export interface BenchContext {
  address: string;
  bundlePath: string;
  /** The worker process's entry, compiled to JavaScript as a production worker runs (no TypeScript loader). */
  workerEntry: string;
  /** Where worker CPU profiles go; no profiling when unset. */
  profileDir?: string;
}

export interface WorkerProcess {
  pid: number;
  settings: WorkerSettings;
  /** Resolves with the exit code (or signal name) if the process ends before stop() is called. */
  crashed: Promise<string>;
  stats(): Promise<WorkerStats>;
  stop(): Promise<void>;
}

export async function startWorkerProcess(ctx: BenchContext, settings: WorkerSettings): Promise<WorkerProcess> {
  const execArgv: string[] = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // As the README recommends for workers: the main thread's heap bounded from REVIEW_WORKER_MEMORY.
  if (!execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
    execArgv.push(recommendedHeapFlag({ ...process.env, ...(settings.cachedReviews !== undefined ? { REVIEW_CACHED_REVIEWS: String(settings.cachedReviews) } : {}) }));
  }
  if (ctx.profileDir) {
    const dir = join(ctx.profileDir, settings.prefix);
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child: ChildProcess = fork(ctx.workerEntry, [], {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_TEMPORAL_ADDRESS: ctx.address,
      BENCH_BUNDLE: ctx.bundlePath,
      REVIEW_TASK_QUEUE_PREFIX: settings.prefix,
      REVIEW_STEP_SLOTS: String(settings.stepSlots),
      ...tierEnv(settings.tierSlots ?? {}),
      ...(settings.cachedReviews !== undefined ? { REVIEW_CACHED_REVIEWS: String(settings.cachedReviews) } : {}),
      REVIEW_WORKFLOW_SLOTS: String(settings.workflowSlots ?? 20),
      // As the README recommends for workers: fewer malloc arenas for the SDK core's threads, less RSS.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      REVIEW_METRICS_ADDRESS: 'off',
      REVIEW_HEALTH_ADDRESS: 'off',
      REVIEW_SHUTDOWN_GRACE: '2s',
      LOG_LEVEL: settings.logLevel ?? 'info',
      LOG_FORMAT: 'json',
    },
  });
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const crashed = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) resolve(`worker process exited (${signal ?? `code ${code}`})`);
      for (const [, reject] of failures) reject(new Error(`worker process exited (${signal ?? `code ${code}`})`));
    });
  });
  const failures = new Map<number, (err: Error) => void>();
  const pending = new Map<number, (stats: WorkerStats) => void>();
  let nextId = 0;
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  child.on('message', (report: ChildReport) => {
    if (report.type === 'ready') ready();
    else {
      const { type: _type, id, ...stats } = report;
      pending.get(id)?.(stats);
      pending.delete(id);
      failures.delete(id);
    }
  });
  await Promise.race([
    readyPromise,
    exited.then((code) => {
      throw new Error(`bench worker exited with code ${code} before it was ready`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('bench worker not ready within 90 s')), 90_000).unref()),
  ]);
  const request = (message: ParentRequest) => child.send(message);
  return {
    pid: child.pid as number,
    settings,
    crashed,
    stats: () =>
      new Promise<WorkerStats>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error('worker process has exited'));
        nextId += 1;
        pending.set(nextId, resolve);
        failures.set(nextId, reject);
        request({ type: 'stats', id: nextId });
      }),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function tierEnv(tierSlots: Partial<Record<Priority, number>>): Record<string, string> {
  const tiers = Object.keys(tierSlots) as Priority[];
  if (tiers.length === 0) return {};
  return { REVIEW_TIERS: tiers.join(','), ...Object.fromEntries(tiers.map((tier) => [`REVIEW_SLOTS_${tier.toUpperCase()}`, String(tierSlots[tier])])) };
}

/** Runs `fn` with a worker process, stopping it afterwards whatever happens. */
export async function withWorker<T>(ctx: BenchContext, settings: WorkerSettings, fn: (worker: WorkerProcess) => Promise<T>): Promise<T> {
  const worker = await startWorkerProcess(ctx, settings);
  try {
    return await fn(worker);
  } finally {
    await worker.stop();
  }
}
