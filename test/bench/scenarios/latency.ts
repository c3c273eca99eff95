/** 2. Latency at light load: startReview to the first step running, and the time each step of a chain adds. */
import { ReviewClient } from '../../../src/client/review-client';
import type { Scenario, ScenarioContext } from '../context';
import { readWorkflowHistory, type ActivityTiming, type WorkflowHistory } from '../history';
import { chain } from '../pipelines';
import type { Figure } from '../report';
import { startHand, startOurs } from '../starters';
import { percentile, rangeText, round } from '../stats';
import { withWorker } from '../worker-process';

const CHAIN = 20;

/** From one step closing to the next one running: the orchestration a step adds on top of its own work. */
function gaps(activities: ActivityTiming[]): number[] {
  return activities.slice(1).map((a, i) => a.startedMs - (activities[i] as ActivityTiming).closedMs);
}

interface Breakdown {
  gaps: number[];
  /** The p50 of each chain's gaps, one per repetition. */
  chainP50s: number[];
  workflowTaskWait: number[];
  workflowTaskRun: number[];
  activityWait: number[];
}

function emptyBreakdown(): Breakdown {
  return { gaps: [], chainP50s: [], workflowTaskWait: [], workflowTaskRun: [], activityWait: [] };
}

function addHistory(into: Breakdown, history: WorkflowHistory): void {
  const chainGaps = gaps(history.activities);
  into.gaps.push(...chainGaps);
  into.chainP50s.push(percentile(chainGaps, 50));
  into.workflowTaskWait.push(...history.workflowTasks.map((t) => t.startedMs - t.scheduledMs));
  into.workflowTaskRun.push(...history.workflowTasks.map((t) => t.completedMs - t.startedMs));
  into.activityWait.push(...history.activities.map((a) => a.startedMs - a.scheduledMs));
}

const p50 = (values: number[]) => round(percentile(values, 50), 1);

async function firstStep(ctx: ScenarioContext, prefix: string, id: string): Promise<{ clientMs: number; serverMs: number }> {
  const reviews = new ReviewClient(ctx.env.client, { taskQueuePrefix: prefix });
  const t0 = Date.now();
  await reviews.startReview(chain(1, 'bench-first-step'), {}, { id });
  await ctx.env.client.workflow.getHandle(id).result();
  const history = await readWorkflowHistory(ctx.env.client, id);
  const started = history.activities[0]?.startedMs ?? Number.NaN;
  return { clientMs: started - t0, serverMs: started - history.startedMs };
}

export const latencyScenario: Scenario = {
  name: 'latency',
  async run(ctx) {
    const firstRuns = ctx.quick ? 10 : 40;
    const chainRuns = ctx.quick ? 2 : 6;
    const prefix = ctx.prefix('latency');
    const stepSlots = 8;
    const measured = await withWorker(ctx.env, { prefix, stepSlots }, async () => {
      await firstStep(ctx, prefix, `${prefix}-warm`);
      const first: { clientMs: number; serverMs: number }[] = [];
      for (let i = 0; i < firstRuns; i++) first.push(await firstStep(ctx, prefix, `${prefix}-first-${i}`));
      const ours = emptyBreakdown();
      const hand = emptyBreakdown();
      for (let i = 0; i < chainRuns; i++) {
        const oursId = `${prefix}-chain-ours-${i}`;
        const handId = `${prefix}-chain-hand-${i}`;
        await (await startOurs(ctx.env.client, chain(CHAIN), { prefix, id: oursId })).result();
        await (await startHand(ctx.env.client, 'handChainWorkflow', { taskQueuePrefix: prefix, pipeline: 'chain', length: CHAIN }, handId)).result();
        addHistory(ours, await readWorkflowHistory(ctx.env.client, oursId));
        addHistory(hand, await readWorkflowHistory(ctx.env.client, handId));
      }
      return { first, ours, hand };
    });
    const firstP50 = percentile(measured.first.map((f) => f.clientMs), 50);
    const stepP50 = percentile(measured.ours.gaps, 50);
    const figures: Figure[] = [
      { figure: 'startReview → first step running p50', value: round(firstP50, 1), unit: 'ms', target: '≤ 50 ms', met: firstP50 <= 50 },
      { figure: 'startReview → first step running p95', value: round(percentile(measured.first.map((f) => f.clientMs), 95), 1), unit: 'ms' },
      {
        figure: 'workflow started → first step running p50 / p95 (server clock)',
        value: `${round(percentile(measured.first.map((f) => f.serverMs), 50), 1)} / ${round(percentile(measured.first.map((f) => f.serverMs), 95), 1)}`,
        unit: 'ms',
      },
      { figure: `added time per step, chain of ${CHAIN}, p50`, value: round(stepP50, 1), unit: 'ms', target: '≤ 30 ms', met: stepP50 <= 30 },
      {
        figure: `added time per step, chain of ${CHAIN}: p50 of each chain, min–max over ${chainRuns}, ours / hand-written`,
        value: [measured.ours, measured.hand].map((b) => rangeText(b.chainP50s, 1)).join(' / '),
        unit: 'ms',
      },
      { figure: `added time per step, chain of ${CHAIN}, p95`, value: round(percentile(measured.ours.gaps, 95), 1), unit: 'ms' },
      {
        figure: 'added time per step, hand-written chain, p50 / p95',
        value: `${round(percentile(measured.hand.gaps, 50), 1)} / ${round(percentile(measured.hand.gaps, 95), 1)}`,
        unit: 'ms',
      },
      {
        figure: 'per step p50, ours / hand-written: workflow task wait, workflow task run, activity wait',
        value: [measured.ours, measured.hand]
          .map((b) => `${p50(b.workflowTaskWait)}, ${p50(b.workflowTaskRun)}, ${p50(b.activityWait)}`)
          .join(' / '),
        unit: 'ms',
      },
    ];
    return {
      name: 'latency',
      title: '2. Latency at light load',
      conditions: {
        firstStepReviews: firstRuns,
        chainLength: CHAIN,
        chainRepetitions: chainRuns,
        load: 'one review at a time',
        stepSlots,
        queues: 'one task queue for workflows and steps, eager dispatch on, for both',
        cores: ctx.cores,
      },
      figures,
      notes: [
        'first step: from calling ReviewClient.startReview to the ActivityTaskStarted event of the first step',
        'added time per step: from a step’s ActivityTaskCompleted event to the next step’s ActivityTaskStarted event',
      ],
      details: measured,
    };
  },
};
