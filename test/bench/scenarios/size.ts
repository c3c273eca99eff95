/** 4. Size of a review: wide fan-outs and long chains of 10 to 5,000 steps. */
import type { Pipeline } from '../../../src/definition/schema';
import { statusQuery } from '../../../workflows/messages';
import type { Scenario, ScenarioContext } from '../context';
import { readWorkflowHistory } from '../history';
import { chain, wide } from '../pipelines';
import type { Figure } from '../report';
import { startOurs } from '../starters';
import { round, sleep } from '../stats';
import { withWorker, type WorkerProcess } from '../worker-process';

type Shape = 'wide' | 'chain';

interface Case {
  shape: Shape;
  steps: number;
  finished: boolean;
  /** Why the worker process died during this case, if it did. */
  crash?: string;
  stepsDone: number;
  wallSeconds: number;
  msPerStep: number;
  eventsPerStep: number;
  continuedAsNew: number;
  workerCpuSeconds: number;
  serverCpuSeconds: number;
}

const MAX_PARALLEL = 50;

async function runCase(ctx: ScenarioContext, prefix: string, shape: Shape, steps: number, timeoutMs: number, worker: WorkerProcess): Promise<Case> {
  const pipeline: Pipeline = shape === 'wide' ? wide(steps, MAX_PARALLEL) : chain(steps);
  const id = `${prefix}-${shape}-${steps}`;
  const cpuBefore = (await worker.stats()).cpuSeconds;
  const serverBefore = ctx.env.serverCpuSeconds();
  const began = Date.now();
  const handle = await startOurs(ctx.env.client, pipeline, { prefix, id });
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
  const serverCpuSeconds = ctx.env.serverCpuSeconds() - serverBefore;
  let stepsDone = steps;
  if (!finished) {
    const status = crash ? undefined : await ctx.env.client.workflow.getHandle(id).query(statusQuery).catch(() => undefined);
    stepsDone = status?.progress.done ?? (await completedActivities(ctx, id, firstRunId));
    await ctx.env.client.workflow.getHandle(id).terminate('benchmark stopped this case');
  }
  const history = await readWorkflowHistory(ctx.env.client, id, firstRunId);
  const wallSeconds = finished ? (history.closedMs - history.startedMs) / 1000 : wallMs / 1000;
  return {
    shape,
    steps,
    finished,
    ...(crash ? { crash } : {}),
    stepsDone,
    wallSeconds: round(wallSeconds, 2),
    msPerStep: round((wallSeconds * 1000) / Math.max(1, stepsDone), 2),
    eventsPerStep: round(history.events / Math.max(1, stepsDone), 2),
    continuedAsNew: history.continuedAsNew,
    workerCpuSeconds: round(workerCpuSeconds, 2),
    serverCpuSeconds: round(serverCpuSeconds, 2),
  };
}

async function completedActivities(ctx: ScenarioContext, id: string, firstRunId: string): Promise<number> {
  const history = await readWorkflowHistory(ctx.env.client, id, firstRunId);
  return history.activities.filter((a) => Number.isFinite(a.closedMs)).length;
}

function shapeFigures(cases: Case[], shape: Shape): Figure[] {
  const own = cases.filter((c) => c.shape === shape);
  const rows: Figure[] = own.map((c) => ({
    figure: `${shape} ${c.steps}: wall / per step / events per step / continue-as-new`,
    value: `${c.finished ? '' : `NOT FINISHED (${c.crash ?? 'time limit'}; ${c.stepsDone} done) `}${c.wallSeconds} s / ${c.msPerStep} ms / ${c.eventsPerStep} / ${c.continuedAsNew}`,
    target: '≤ 4 events per step',
    met: c.finished && c.eventsPerStep <= 4,
  }));
  const perStep = own.filter((c) => c.finished).map((c) => c.msPerStep);
  const spread = perStep.length === own.length && perStep.length > 0 ? Math.max(...perStep) / Math.min(...perStep) : Number.POSITIVE_INFINITY;
  rows.push({ figure: `${shape}: slowest / fastest time per step`, value: round(spread, 2), target: '≤ 1.5', met: spread <= 1.5 });
  rows.push({
    figure: `${shape}: worker / server CPU s at ${own[own.length - 1]?.steps} steps`,
    value: `${own[own.length - 1]?.workerCpuSeconds} / ${own[own.length - 1]?.serverCpuSeconds}`,
  });
  return rows;
}

export const sizeScenario: Scenario = {
  name: 'size',
  async run(ctx) {
    const sizes = ctx.quick ? [10, 100] : [10, 100, 1_000, 5_000];
    const budgetMs = ctx.quick ? 40_000 : 330_000;
    const capMs = (steps: number) => Math.max(30_000, steps * 60);
    const prefix = ctx.prefix('size');
    const slots = { critical: 2, high: 2, normal: MAX_PARALLEL, low: 2 };
    const deadline = Date.now() + budgetMs;
    const cases: Case[] = [];
    for (const steps of sizes) {
      for (const shape of ['wide', 'chain'] as const) {
        const timeoutMs = Math.max(5_000, Math.min(capMs(steps), deadline - Date.now()));
        // A worker per case: a crash in one case must not take the others with it.
        cases.push(await withWorker(ctx.env, { prefix, slots }, (worker) => runCase(ctx, prefix, shape, steps, timeoutMs, worker)));
      }
    }
    return {
      name: 'size',
      title: '4. Size of a review',
      conditions: {
        sizes: sizes.join(', '),
        shapes: `wide (root → n-2 parallel → join, maxParallel ${MAX_PARALLEL}) and chain`,
        activity: 'echo no-op',
        activitySlotsNormal: slots.normal,
        historyLimit: 'none (continue-as-new when Temporal suggests it)',
        timeLimitPerCase: ctx.quick ? 'shared 40 s budget' : 'min(60 ms × steps, what is left of a 330 s budget)',
        cores: ctx.cores,
      },
      figures: [...shapeFigures(cases, 'wide'), ...shapeFigures(cases, 'chain')],
      notes: ['wall time from WorkflowExecutionStarted of the first run to the close of the last run', 'events counted over every run of the review'],
      details: cases,
    };
  },
};
