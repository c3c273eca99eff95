import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { ReviewTest } from '../../helpers/review-harness';
import type { reviewWorkflow } from '../../../workflows/review';
import { statusQuery } from '../../../workflows/messages';
import type { ReviewStatus, StepStatus } from '../../../workflows/types';
import { waitFor, withTimeout } from '../../helpers/wait';
import { workflowTaskFailures } from '../../fuzz/history';

export type ReviewHandle = WorkflowHandle<typeof reviewWorkflow>;

export interface Closed {
  outcome: 'completed' | 'rejected' | 'failed' | 'cancelled';
  status?: ReviewStatus;
  message?: string;
}

/** How the review closed, as a client sees it; the final status when the workflow returned or failed with it. */
export async function closed(handle: ReviewHandle): Promise<Closed> {
  try {
    const status = await handle.result();
    return { outcome: status.state === 'rejected' ? 'rejected' : 'completed', status };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    if (err.cause instanceof CancelledFailure) return { outcome: 'cancelled', message: err.cause.message };
    const cause = err.cause as ApplicationFailure;
    return { outcome: 'failed', status: (cause.details?.[0] as ReviewStatus | undefined) ?? undefined, message: cause.message };
  }
}

/**
 * The review's status. A query the time-skipping test server never answers (one that races a
 * continue-as-new, see untilContinuedAsNew) fails after 10 s, so a polling caller asks again.
 */
export async function status(handle: ReviewHandle): Promise<ReviewStatus> {
  return withTimeout(handle.query(statusQuery), 10_000, 'status query');
}

export function step(s: ReviewStatus | undefined, id: string): StepStatus | undefined {
  return s?.steps.find((x) => x.id === id);
}

/**
 * Waits until the review has continued as new, reading the current run's history rather than querying
 * the workflow. The time-skipping test server never answers a query that arrives while the workflow task
 * ending in continue-as-new runs, and the clock lock that query holds is never released: every later
 * sleep in that environment then waits in wall time. Tests whose review continues as new on its own
 * wait for this first.
 */
export const untilContinuedAsNew = (handle: ReviewHandle) =>
  waitFor(async () => {
    const { events } = await handle.fetchHistory();
    return events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ? true : undefined;
  });

export const untilStep = (handle: ReviewHandle, id: string, state: string) =>
  waitFor(async () => (step(await status(handle), id)?.state === state ? true : undefined));

export const untilState = (handle: ReviewHandle, state: string) =>
  waitFor(async () => ((await status(handle)).state === state ? true : undefined));

export async function noTaskFailures(handle: ReviewHandle): Promise<number> {
  return workflowTaskFailures(handle);
}

export const withUndo = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  uses: 'echo',
  undo: { uses: 'echo', with: { undoing: id } },
  ...extra,
});

/** The review has settled into `phase` (display states change first, when the outcome is decided). */
export const untilPhase = (handle: ReviewHandle, phase: string) =>
  waitFor(async () => ((await status(handle)).phase === phase ? true : undefined));

/**
 * `t.run` that terminates the reviews it started when `fn` throws, so the workers can shut down and the
 * assertion that failed is reported (instead of a test timeout while workers wait for open reviews).
 */
export async function runGuarded<T>(t: ReviewTest, fn: (start: ReviewTest['start']) => Promise<T>): Promise<T> {
  const started: ReviewHandle[] = [];
  const start: ReviewTest['start'] = async (...args) => {
    const handle = await t.start(...args);
    started.push(handle);
    return handle;
  };
  return t.run(async () => {
    try {
      return await fn(start);
    } catch (err) {
      await Promise.all(started.map((h) => h.terminate('test failed').catch(() => undefined)));
      throw err;
    }
  });
}

/** 'accepted', or the reason an update was refused (the failure the workflow gave), as a string. */
export const refusal = (p: Promise<unknown>) =>
  p.then(() => 'accepted', (e: unknown) => (e instanceof WorkflowUpdateFailedError ? String(e.cause?.message) : `other: ${String(e)}`));
