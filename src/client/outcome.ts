/** Reading a closed review's final status out of however its workflow ended. */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { ReviewState, ReviewStatus } from '../../workflows/types';
import type { ReviewOutcome, ReviewResult, ReviewSummary } from './types';

function isReviewStatus(value: unknown): value is ReviewStatus {
  return typeof value === 'object' && value !== null && 'steps' in value && 'state' in value && 'reviewId' in value;
}

export function outcomeOfStatus(status: ReviewStatus): ReviewOutcome {
  const { state } = status;
  if (state === 'completed' || state === 'rejected' || state === 'failed' || state === 'cancelled') return state;
  return 'completed';
}

/** A status with only what visibility knows, for reviews whose own status cannot be read. */
export function statusFromSummary(summary: ReviewSummary | undefined, reviewId: string, state: ReviewState, lastError?: string): ReviewStatus {
  const status: ReviewStatus = {
    reviewId,
    pipeline: summary?.pipeline ?? 'unknown',
    priority: summary?.priority ?? 'normal',
    state,
    progress: { done: 0, total: 0, percent: 0 },
    startedAt: summary?.startTime ?? new Date(0).toISOString(),
    steps: [],
    decisions: [],
    transitions: [],
    continuedAsNew: 0,
  };
  if (summary?.closeTime) status.endedAt = summary.closeTime;
  if (summary?.subject !== undefined) status.subject = summary.subject;
  if (summary?.tenant !== undefined) status.tenant = summary.tenant;
  if (lastError !== undefined) status.lastError = lastError;
  return status;
}

export type FailureReading =
  | { kind: 'status'; result: ReviewResult }
  | { kind: 'cancelled' }
  | { kind: 'other'; outcome: ReviewOutcome; message: string };

/** What a WorkflowFailedError says about the review: its final status (ReviewFailed), or how it ended. */
export function readFailure(error: WorkflowFailedError): FailureReading {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure && cause.type === 'ReviewFailed') {
    const detail = cause.details?.[0];
    if (isReviewStatus(detail)) return { kind: 'status', result: { ...detail, outcome: 'failed' } };
  }
  if (cause instanceof CancelledFailure) return { kind: 'cancelled' };
  if (cause instanceof TerminatedFailure) return { kind: 'other', outcome: 'terminated', message: cause.message || 'terminated' };
  if (cause instanceof TimeoutFailure) return { kind: 'other', outcome: 'timed_out', message: 'the review timed out' };
  return { kind: 'other', outcome: 'failed', message: cause?.message ?? error.message };
}

export { isReviewStatus };
