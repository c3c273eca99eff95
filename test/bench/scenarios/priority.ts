/** 3. Priority under saturation: schedule-to-start per tier with tier queues, native priority keys, or both. */
import { PRIORITIES, type Priority } from '../../../src/definition/schema';
import type { ReviewOptions } from '../../../workflows/types';
import type { Scenario, ScenarioContext } from '../context';
import { readWorkflowHistory, type ActivityTiming } from '../history';
import { tierMix } from '../pipelines';
import type { Figure } from '../report';
import { startOurs } from '../starters';
import { mapLimit, percentile, round, sleep } from '../stats';
import { withWorker, type WorkerSettings } from '../worker-process';

interface Setup {
  name: string;
  options: ReviewOptions;
  worker: Omit<WorkerSettings, 'prefix'>;
}

const TIER_SLOTS = { critical: 8, high: 6, normal: 4, low: 2 };
const TOTAL_SLOTS = TIER_SLOTS.critical + TIER_SLOTS.high + TIER_SLOTS.normal + TIER_SLOTS.low;

const SETUPS: Setup[] = [
  // The default: every step on the review queue, ordered by its priority key, with all the slots.
  { name: 'one queue (default)', options: {}, worker: { stepSlots: TOTAL_SLOTS } },
  // The same slots reserved per tier on tier step queues, with the priority keys as well.
  { name: 'tier queues', options: { stepQueues: 'tiers' }, worker: { stepSlots: 1, tierSlots: TIER_SLOTS } },
];

const STEP_MS = 500;
const PER_TIER = { critical: 2, high: 2, normal: 2, low: 2 };
const REVIEWS_PER_SECOND = 10;

interface Outcome {
  setup: string;
  perTier: Record<Priority, { p50: number; p95: number; count: number }>;
  lowStarts: number;
  lowWhileCriticalWaiting: number;
  ratio: number;
}

function tierOf(timing: ActivityTiming): Priority | undefined {
  return PRIORITIES.find((tier) => timing.stepId.startsWith(tier));
}

function analyse(setup: string, timings: ActivityTiming[]): Outcome {
  const waits = (tier: Priority) => timings.filter((t) => tierOf(t) === tier).map((t) => t.startedMs - t.scheduledMs);
  const perTier = Object.fromEntries(
    PRIORITIES.map((tier) => {
      const w = waits(tier);
      return [tier, { p50: round(percentile(w, 50), 1), p95: round(percentile(w, 95), 1), count: w.length }];
    }),
  ) as Outcome['perTier'];
  const critical = timings.filter((t) => tierOf(t) === 'critical');
  const low = timings.filter((t) => tierOf(t) === 'low');
  const inverted = low.filter((l) => critical.some((c) => c.scheduledMs < l.startedMs && c.startedMs > l.startedMs)).length;
  return { setup, perTier, lowStarts: low.length, lowWhileCriticalWaiting: inverted, ratio: perTier.critical.p95 / perTier.low.p95 };
}

async function runSetup(ctx: ScenarioContext, setup: Setup, arrivalSeconds: number): Promise<Outcome> {
  const prefix = ctx.prefix(`prio-${setup.name.split(' ')[0]}`);
  const pipeline = tierMix(PER_TIER, STEP_MS);
  return withWorker(ctx.env, { prefix, ...setup.worker }, async () => {
    const total = Math.round(arrivalSeconds * REVIEWS_PER_SECOND);
    const began = Date.now();
    const handles = [];
    for (let i = 0; i < total; i++) {
      const due = began + (i * 1000) / REVIEWS_PER_SECOND;
      await sleep(Math.max(0, due - Date.now()));
      handles.push(startOurs(ctx.env.client, pipeline, { prefix, id: `${prefix}-${i}`, options: setup.options }));
    }
    const started = await Promise.all(handles);
    await Promise.all(started.map((h) => h.result()));
    const histories = await mapLimit(started, 10, (h) => readWorkflowHistory(ctx.env.client, h.workflowId));
    return analyse(setup.name, histories.flatMap((h) => h.activities));
  });
}

const invertedShare = (o: Outcome) => (100 * o.lowWhileCriticalWaiting) / Math.max(1, o.lowStarts);

export const priorityScenario: Scenario = {
  name: 'priority',
  async run(ctx) {
    const arrivalSeconds = ctx.quick ? 2 : 4;
    const outcomes: Outcome[] = [];
    for (const setup of SETUPS) outcomes.push(await runSetup(ctx, setup, arrivalSeconds));
    const figures: Figure[] = outcomes.flatMap((o, i) => [
      ...PRIORITIES.map((tier) => ({
        figure: `${o.setup}: ${tier} schedule-to-start p50 / p95`,
        value: `${o.perTier[tier].p50} / ${o.perTier[tier].p95}`,
        unit: 'ms',
      })),
      {
        figure: `${o.setup}: low steps started while a critical one waited`,
        value: `${o.lowWhileCriticalWaiting} of ${o.lowStarts} (${round(invertedShare(o), 1)}%)`,
        ...(i === 0 ? { target: '≤ 1%', met: invertedShare(o) <= 1 } : {}),
      },
      { figure: `${o.setup}: critical p95 / low p95`, value: round(o.ratio, 3), ...(i === 0 ? { target: '≤ 0.1', met: o.ratio <= 0.1 } : {}) },
    ]);
    const demand = REVIEWS_PER_SECOND * Object.values(PER_TIER).reduce((a, b) => a + b, 0);
    return {
      name: 'priority',
      title: '3. Priority under saturation',
      conditions: {
        reviews: Math.round(arrivalSeconds * REVIEWS_PER_SECOND),
        arrival: `${REVIEWS_PER_SECOND} reviews/s for ${arrivalSeconds} s`,
        stepsPerReview: `${PER_TIER.critical} critical, ${PER_TIER.high} high, ${PER_TIER.normal} normal, ${PER_TIER.low} low, all ready at once, listed lowest priority first`,
        stepMs: STEP_MS,
        demand: `${demand} steps/s against ${(TOTAL_SLOTS * 1000) / STEP_MS} steps/s of capacity`,
        oneQueueSlots: TOTAL_SLOTS,
        tierQueueSlots: `${TIER_SLOTS.critical}/${TIER_SLOTS.high}/${TIER_SLOTS.normal}/${TIER_SLOTS.low}`,
        cores: ctx.cores,
      },
      figures,
      notes: [
        'schedule-to-start from the ActivityTaskScheduled and ActivityTaskStarted events',
        'a low step counts as inverted when it started while a critical step scheduled before it had not yet started',
      ],
      details: outcomes,
    };
  },
};
