/** 1. Our review workflow against a hand-written Temporal workflow of the same diamond shape. */
import type { WorkflowHandle } from '@temporalio/client';
import type { Scenario } from '../context';
import type { BenchEnvironment } from '../environment';
import { readWorkflowHistory, type WorkflowHistory } from '../history';
import { diamond } from '../pipelines';
import type { Figure } from '../report';
import { startHand, startOurs } from '../starters';
import { mapLimit, mean, median, percentile, rangeText, round } from '../stats';
import { machineBusySeconds } from '../proc';
import type { ThreadCpu } from '../worker-messages';
import type { WorkerProcess } from '../worker-process';
import { withWorker } from '../worker-process';

export type Kind = 'ours' | 'hand';

export interface Batch {
  kind: Kind;
  reviewsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  workerCpuMsPerReview: number;
  serverCpuMsPerReview: number;
  /** The benchmark process's own CPU: starting each review and waiting for its result through the client. */
  clientCpuMsPerReview: number;
  /** Every core of the machine busy, whoever used it: on 2 cores throughput follows it. */
  machineCpuMsPerReview: number;
  /** The worker's CPU per review by thread (Linux): main thread, workflow thread, SDK core, V8 and libuv helpers. */
  threadCpuMsPerReview: Record<string, number>;
}

/**
 * CPU per thread group between two samples: the main thread, the workflow thread (the busiest other thread
 * Node started), the SDK core's Rust threads, and the rest (V8's and libuv's helpers).
 */
function threadGroups(before: ThreadCpu[], after: ThreadCpu[], reviews: number): Record<string, number> {
  const start = new Map(before.map((t) => [t.tid, t.cpuSeconds]));
  const used = after.map((t) => ({ ...t, cpuSeconds: t.cpuSeconds - (start.get(t.tid) ?? 0) }));
  if (used.length === 0) return {};
  const others = used.filter((t) => t.name === 'node').sort((a, b) => b.cpuSeconds - a.cpuSeconds);
  const groupOf = (t: ThreadCpu) => (t.name === 'main' ? 'main' : t === others[0] ? 'workflow' : t.name.startsWith('tokio') ? 'core' : 'helpers');
  const groups: Record<string, number> = { main: 0, workflow: 0, core: 0, helpers: 0 };
  for (const t of used) {
    const group = groupOf(t);
    groups[group] = (groups[group] ?? 0) + (t.cpuSeconds * 1000) / reviews;
  }
  return groups;
}

/** Starts `ids` at once as reviews of `kind` (one diamond definition for all) and measures the batch until every one has ended. */
export async function runBatch(env: BenchEnvironment, worker: WorkerProcess, kind: Kind, ids: string[]): Promise<Batch> {
  const { client } = env;
  const prefix = worker.settings.prefix;
  const pipeline = diamond();
  const start = (id: string): Promise<WorkflowHandle> =>
    kind === 'ours'
      ? startOurs(client, pipeline, { prefix, id })
      : startHand(client, 'handDiamondWorkflow', { taskQueuePrefix: prefix, pipeline: pipeline.name }, id);
  const before = await worker.stats();
  const serverBefore = env.serverCpuSeconds();
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const began = Date.now();
  const latencies = await mapLimit(ids, ids.length, async (id) => {
    const t0 = Date.now();
    const handle = await start(id);
    await handle.result();
    return Date.now() - t0;
  });
  const elapsedMs = Date.now() - began;
  const machineCpu = machineBusySeconds() - machineBefore;
  const after = await worker.stats();
  const serverCpu = env.serverCpuSeconds() - serverBefore;
  const clientCpu = process.cpuUsage(clientBefore);
  return {
    kind,
    reviewsPerSecond: ids.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    workerCpuMsPerReview: ((after.cpuSeconds - before.cpuSeconds) * 1000) / ids.length,
    serverCpuMsPerReview: (serverCpu * 1000) / ids.length,
    clientCpuMsPerReview: (clientCpu.user + clientCpu.system) / 1000 / ids.length,
    machineCpuMsPerReview: (machineCpu * 1000) / ids.length,
    threadCpuMsPerReview: threadGroups(before.threads, after.threads, ids.length),
  };
}

export const overheadScenario: Scenario = {
  name: 'overhead',
  async run(ctx) {
    const reviews = ctx.quick ? 20 : 100;
    const repetitions = ctx.quick ? 2 : 9;
    const prefix = ctx.prefix('overhead');
    const stepSlots = 50;
    // Every review of a batch fits in the cache: the scenario measures what a review costs, not the
    // replays of a cache smaller than the reviews in flight (the default holds 96; open-reviews measures those).
    const cachedReviews = 256;
    const lastIds: Record<Kind, string[]> = { ours: [], hand: [] };
    const batches = await withWorker(ctx.env, { prefix, stepSlots, cachedReviews }, async (worker) => {
      let counter = 0;
      const ids = (kind: Kind, n: number) => (lastIds[kind] = Array.from({ length: n }, () => `${prefix}-${kind}-${++counter}`));
      await runBatch(ctx.env, worker, 'ours', ids('ours', 10));
      await runBatch(ctx.env, worker, 'hand', ids('hand', 10));
      const out: Batch[] = [];
      for (let rep = 0; rep < repetitions; rep++) {
        const order: Kind[] = rep % 2 === 0 ? ['ours', 'hand'] : ['hand', 'ours'];
        for (const kind of order) out.push(await runBatch(ctx.env, worker, kind, ids(kind, reviews)));
      }
      return out;
    });
    const ours = batches.filter((b) => b.kind === 'ours');
    const hand = batches.filter((b) => b.kind === 'hand');
    const pairRatios = (pick: (b: Batch) => number) => ours.map((o, i) => pick(o) / pick(hand[i] as Batch));
    const pairRatio = (pick: (b: Batch) => number) => median(pairRatios(pick));
    const range = (pick: (b: Batch) => number) => rangeText(pairRatios(pick));
    const med = (list: Batch[], pick: (b: Batch) => number) => round(median(list.map(pick)), 1);
    const throughput = pairRatio((b) => b.reviewsPerSecond);
    const cpu = pairRatio((b) => b.workerCpuMsPerReview);
    // Under load a review's step completions may share a workflow task or not, so one history is not typical.
    const sampled = (kind: Kind) => mapLimit(lastIds[kind], 10, (id) => readWorkflowHistory(ctx.env.client, id));
    const [oursHistories, handHistories] = await Promise.all([sampled('ours'), sampled('hand')]);
    const meanOf = (list: WorkflowHistory[], pick: (h: WorkflowHistory) => number) => round(mean(list.map(pick)), 1);
    const perReview = (list: WorkflowHistory[]) => `${meanOf(list, (h) => h.events)} events, ${meanOf(list, (h) => h.workflowTasks.length)} workflow tasks`;
    const figures: Figure[] = [
      { figure: 'throughput ratio ours/hand-written', value: round(throughput, 3), target: '≥ 0.95', met: throughput >= 0.95 },
      { figure: 'worker CPU per review ratio ours/hand-written', value: round(cpu, 3), target: '≤ 1.1', met: cpu <= 1.1 },
      {
        figure: `throughput / worker CPU ratio: min–max over the ${repetitions} pairs`,
        value: `${range((b) => b.reviewsPerSecond)} / ${range((b) => b.workerCpuMsPerReview)}`,
      },
      { figure: 'latency p50 ratio ours/hand-written', value: round(pairRatio((b) => b.p50Ms)) },
      { figure: 'latency p95 ratio ours/hand-written', value: round(pairRatio((b) => b.p95Ms)) },
      { figure: 'server CPU per review ratio ours/hand-written', value: round(pairRatio((b) => b.serverCpuMsPerReview)) },
      {
        figure: 'CPU per review ratio ours/hand-written: worker + server + client; the whole machine',
        value: `${round(pairRatio((b) => b.workerCpuMsPerReview + b.serverCpuMsPerReview + b.clientCpuMsPerReview))}; ${round(pairRatio((b) => b.machineCpuMsPerReview))}`,
      },
      { figure: 'throughput ours / hand-written', value: `${med(ours, (b) => b.reviewsPerSecond)} / ${med(hand, (b) => b.reviewsPerSecond)}`, unit: 'reviews/s' },
      { figure: 'latency p50 ours / hand-written', value: `${med(ours, (b) => b.p50Ms)} / ${med(hand, (b) => b.p50Ms)}`, unit: 'ms' },
      { figure: 'latency p95 ours / hand-written', value: `${med(ours, (b) => b.p95Ms)} / ${med(hand, (b) => b.p95Ms)}`, unit: 'ms' },
      { figure: 'worker CPU per review ours / hand-written', value: `${med(ours, (b) => b.workerCpuMsPerReview)} / ${med(hand, (b) => b.workerCpuMsPerReview)}`, unit: 'ms' },
      {
        figure: 'worker CPU per review by thread ours / hand-written: main, workflow, SDK core, helpers',
        value: ['main', 'workflow', 'core', 'helpers'].map((t) => `${med(ours, (b) => b.threadCpuMsPerReview[t] ?? 0)} / ${med(hand, (b) => b.threadCpuMsPerReview[t] ?? 0)}`).join(', '),
        unit: 'ms',
      },
      { figure: 'server CPU per review ours / hand-written', value: `${med(ours, (b) => b.serverCpuMsPerReview)} / ${med(hand, (b) => b.serverCpuMsPerReview)}`, unit: 'ms' },
      { figure: 'client CPU per review ours / hand-written', value: `${med(ours, (b) => b.clientCpuMsPerReview)} / ${med(hand, (b) => b.clientCpuMsPerReview)}`, unit: 'ms' },
      { figure: 'machine CPU per review ours / hand-written (every core busy)', value: `${med(ours, (b) => b.machineCpuMsPerReview)} / ${med(hand, (b) => b.machineCpuMsPerReview)}`, unit: 'ms' },
      { figure: `history per review, mean over the last batch of each: ours / hand-written`, value: `${perReview(oursHistories)} / ${perReview(handHistories)}` },
    ];
    return {
      name: 'overhead',
      title: '1. Overhead vs hand-written',
      conditions: {
        shape: 'diamond (1 → 3 parallel → 1), echo no-op',
        reviewsPerBatch: reviews,
        repetitions,
        order: 'alternating batches, all reviews of a batch started at once',
        stepSlots,
        queues: 'one task queue for workflows and steps, eager dispatch on, for both',
        workflowSlots: 20,
        cachedReviews,
        cores: ctx.cores,
      },
      figures,
      notes: ['ratios are medians over repetitions of the ratio within each adjacent pair of batches'],
      details: { batches, oursHistory: perReview(oursHistories), handHistory: perReview(handHistories) },
    };
  },
};
