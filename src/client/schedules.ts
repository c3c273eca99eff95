/** Recurring reviews over Temporal Schedules: each firing starts one reviewWorkflow. */
import { isGrpcServiceError, type Client, type ScheduleSpec, type ScheduleSummary } from '@temporalio/client';
import { parseDuration } from '../definition/duration';
import { REVIEW_WORKFLOW_TYPE } from '../../workflows/messages';
import { InvalidRequestError, mapped } from './errors';
import { preparePipeline, type ExecutorCheckOptions } from './pipeline-source';
import { planStart } from './start-options';
import type { CreateScheduleOptions, ReviewScheduleSummary } from './types';

const GRPC_INVALID_ARGUMENT = 3;

interface ScheduleMemo {
  pipeline: string;
  priority: string;
  cron: string[];
  every: string[];
}

function specOf(options: CreateScheduleOptions): { spec: ScheduleSpec; cron: string[]; every: string[] } {
  if (options.cron !== undefined) {
    const cron = Array.isArray(options.cron) ? options.cron : [options.cron];
    if (cron.length === 0) throw new InvalidRequestError('a schedule needs a cron expression or an interval');
    return { spec: { cronExpressions: cron }, cron, every: [] };
  }
  if (options.every !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(options.every);
    } catch {
      throw new InvalidRequestError(`invalid interval '${options.every}': write a duration such as 30s, 15m, 1h or 1d`);
    }
    if (ms < 1000) throw new InvalidRequestError(`interval '${options.every}' is shorter than a second`);
    return { spec: { intervals: [{ every: ms }] }, cron: [], every: [options.every] };
  }
  throw new InvalidRequestError('a schedule needs a cron expression (cron) or an interval (every)');
}

export async function createReviewSchedule(client: Client, options: CreateScheduleOptions, check: ExecutorCheckOptions = {}): Promise<{ scheduleId: string }> {
  const { pipeline, params, input } = preparePipeline(options.pipeline, options.params, options.input ?? {}, check);
  const { spec, cron, every } = specOf(options);
  const plan = planStart({
    pipeline,
    params,
    input,
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(options.taskQueuePrefix !== undefined ? { taskQueuePrefix: options.taskQueuePrefix } : {}),
    ...(options.stepQueues !== undefined ? { stepQueues: options.stepQueues } : {}),
  });
  const memo: ScheduleMemo = { pipeline: pipeline.name, priority: plan.priority, cron, every };
  await mapped(options.id, () =>
    refusedSpec(cron, () => client.schedule.create({
      scheduleId: options.id,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: REVIEW_WORKFLOW_TYPE,
        workflowId: options.id,
        taskQueue: plan.taskQueue,
        args: [plan.input],
        typedSearchAttributes: plan.typedSearchAttributes,
        staticSummary: plan.staticSummary,
        staticDetails: plan.staticDetails,
        // Encrypted like every memo when encryption is on, so `list` can tell which key a scheduled review needs.
        memo: { reviewSchedule: options.id },
      },
      memo: { ...memo },
      state: { paused: options.paused ?? false, ...(options.note !== undefined ? { note: options.note } : {}) },
    })),
  );
  return { scheduleId: options.id };
}

/** Temporal checks cron expressions itself: its refusal, said as what to write. */
async function refusedSpec<T>(cron: string[], create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    // The SDK turns the server's INVALID_ARGUMENT into a TypeError with the server's words.
    const refused = error instanceof TypeError || (isGrpcServiceError(error) && error.code === GRPC_INVALID_ARGUMENT);
    if (cron.length === 0 || !refused) throw error;
    const why = isGrpcServiceError(error) ? (error.details ?? error.message) : (error as Error).message;
    throw new InvalidRequestError(`Temporal refused the cron expression ${cron.map((c) => `'${c}'`).join(', ')}: ${why}; write five fields (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'`);
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function reviewScheduleOf(summary: ScheduleSummary): ReviewScheduleSummary {
  const memo = summary.memo ?? {};
  const out: ReviewScheduleSummary = {
    scheduleId: summary.scheduleId,
    cron: strings(memo.cron),
    every: strings(memo.every),
    paused: summary.state.paused,
    nextRuns: summary.info.nextActionTimes.map((d) => d.toISOString()),
    recentRuns: summary.info.recentActions.map((a) => ({ reviewId: a.action.workflow.workflowId, startedAt: a.takenAt.toISOString() })),
  };
  if (typeof memo.pipeline === 'string') out.pipeline = memo.pipeline;
  if (typeof memo.priority === 'string') out.priority = memo.priority;
  if (summary.state.note) out.note = summary.state.note;
  return out;
}

/** Schedules whose action starts a review. Visibility is eventually consistent: a new schedule may take a moment to appear. */
export async function listReviewSchedules(client: Client): Promise<ReviewScheduleSummary[]> {
  const out: ReviewScheduleSummary[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType !== REVIEW_WORKFLOW_TYPE) continue;
    out.push(reviewScheduleOf(summary));
  }
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function deleteReviewSchedule(client: Client, scheduleId: string): Promise<void> {
  await mapped(scheduleId, async () => {
    const handle = client.schedule.getHandle(scheduleId);
    await handle.describe();
    await handle.delete();
  });
}
