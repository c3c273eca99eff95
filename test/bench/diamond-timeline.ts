/**
 * Where a diamond's time and the machine's CPU go under load, ours against hand-written: batches of 100
 * diamonds started at once, alternating kinds, each measured as the overhead scenario measures it
 * (`runBatch`: CPU per review of the worker, the server, this process and the whole machine), then from
 * each review's history the mean wait and run of each workflow task and step.
 * Run: npx ts-node --transpile-only test/bench/diamond-timeline.ts (ROUNDS=4)
 */
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { readWorkflowHistory, type WorkflowHistory } from './history';
import { runBatch, type Kind } from './scenarios/overhead';
import { mapLimit, mean, round, sum } from './stats';
import { withWorker, type WorkerProcess } from './worker-process';

const BATCH = 100;
const ROUNDS = Number(process.env.ROUNDS ?? 4);

type Samples = Map<string, number[]>;

function add(samples: Samples, figure: string, value: number): void {
  const list = samples.get(figure) ?? [];
  list.push(value);
  samples.set(figure, list);
}

function timeline(samples: Samples, h: WorkflowHistory): void {
  add(samples, 'review: start → end, ms', h.closedMs - h.startedMs);
  h.workflowTasks.forEach((task, i) => {
    add(samples, `workflow task ${i + 1}: wait, ms`, task.startedMs - task.scheduledMs);
    add(samples, `workflow task ${i + 1}: run (worker and completion), ms`, task.completedMs - task.startedMs);
  });
  add(samples, 'steps: wait, ms (sum)', sum(h.activities.map((a) => a.startedMs - a.scheduledMs)));
  add(samples, 'steps: run, ms (sum)', sum(h.activities.map((a) => a.closedMs - a.startedMs)));
}

async function batch(env: BenchEnvironment, worker: WorkerProcess, kind: Kind, ids: string[], samples: Samples): Promise<void> {
  const measured = await runBatch(env, worker, kind, ids);
  add(samples, 'CPU per review, machine (every core busy), ms', measured.machineCpuMsPerReview);
  add(samples, 'CPU per review, worker, ms', measured.workerCpuMsPerReview);
  add(samples, 'CPU per review, server, ms', measured.serverCpuMsPerReview);
  add(samples, 'CPU per review, client, ms', measured.clientCpuMsPerReview);
  for (const h of await mapLimit(ids, 10, (id) => readWorkflowHistory(env.client, id))) timeline(samples, h);
}

async function main(): Promise<void> {
  const env = await startBenchEnvironment({ sqlite: false });
  const prefix = `dt-${Date.now().toString(36)}`;
  try {
    const samples = await withWorker(env, { prefix, stepSlots: 50, cachedReviews: 256 }, async (worker) => {
      let counter = 0;
      const ids = (kind: Kind) => Array.from({ length: BATCH }, () => `${prefix}-${kind}-${++counter}`);
      const out: Record<Kind, Samples> = { ours: new Map(), hand: new Map() };
      for (const kind of ['ours', 'hand'] as const) await batch(env, worker, kind, ids(kind), new Map());
      for (let r = 0; r < ROUNDS; r++) {
        for (const kind of (r % 2 === 0 ? ['ours', 'hand'] : ['hand', 'ours']) as Kind[]) await batch(env, worker, kind, ids(kind), out[kind]);
      }
      return out;
    });
    const meanOf = (list: number[] | undefined) => round(mean(list ?? []), 1);
    console.log(`mean over ${ROUNDS} batches of ${BATCH} per kind: ours / hand-written`);
    for (const figure of samples.ours.keys()) console.log(`  ${figure}: ${meanOf(samples.ours.get(figure))} / ${meanOf(samples.hand.get(figure))}`);
  } finally {
    await env.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
