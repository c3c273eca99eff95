/** Maps what an executor threw onto the Temporal failure the workflow's retry policy acts on. */
import { ApplicationFailure } from '@temporalio/common';
import { StepError } from '../executor';
import type { BackoffSpec } from '../types';
import { needsOwnDelay, retryDelayMs } from './backoff';
import { limitOutput } from './output-limit';
import { scrubText, scrubValue } from './redact';

const DETAILS_LIMIT_BYTES = 64 * 1024;

export interface FailureContext {
  attempt: number;
  backoff?: BackoffSpec;
  secrets: readonly string[];
  random?: () => number;
}

export function toFailure(err: unknown, context: FailureContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const { secrets } = context;
  if (err instanceof StepError) {
    const details = err.details === undefined ? undefined : limitOutput(scrubValue(err.details, secrets), DETAILS_LIMIT_BYTES);
    const delay = err.nonRetryable ? undefined : nextDelay(context, err.retryAfterMs);
    return ApplicationFailure.create({
      message: scrubText(err.message, secrets),
      type: err.type,
      nonRetryable: err.nonRetryable,
      details: details ? [details.value] : undefined,
      nextRetryDelay: delay,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  const type = err instanceof Error ? err.name : 'Error';
  return ApplicationFailure.create({
    message: scrubText(message, secrets),
    type,
    nonRetryable: false,
    nextRetryDelay: nextDelay(context, undefined),
  });
}

function nextDelay(context: FailureContext, retryAfterMs: number | undefined): number | undefined {
  const own = needsOwnDelay(context.backoff) ? retryDelayMs(context.backoff, context.attempt, context.random) : undefined;
  if (retryAfterMs === undefined) return own;
  return Math.max(retryAfterMs, own ?? 0);
}
