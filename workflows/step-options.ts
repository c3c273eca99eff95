/** Maps a step's declarative priority, retry policy and timeouts onto Temporal activity options. */
import type { ActivityCancellationType, ActivityOptions, RetryPolicy } from '@temporalio/workflow';
import type { BackoffSpec } from '../activities/types';
import { parseDuration } from '../src/definition/duration';
import { effectiveRetry, type EffectiveRetry } from '../src/definition/retry';
import type { Pipeline, Priority, RetrySpec, TimeoutSpec } from '../src/definition/schema';
import { timeoutSpec } from '../src/definition/timeout-spec';
import type { ReviewOptions } from './types';

export const PRIORITY_KEYS: Readonly<Record<Priority, number>> = { critical: 1, high: 2, normal: 3, low: 4 };

export const DEFAULT_START_TO_CLOSE = '10m';

/** The task queue reviews run on: one for every priority, ordered by the priority key each review is started with. */
export function workflowTaskQueue(options: Pick<ReviewOptions, 'taskQueuePrefix'> | undefined): string {
  return options?.taskQueuePrefix ?? 'review';
}

/** A step's task queue; `undefined` is the review's own queue, where Temporal can hand the step over eagerly. */
export function stepTaskQueue(tier: Priority, options: ReviewOptions | undefined): string | undefined {
  const prefix = workflowTaskQueue(options);
  if (options?.stepQueues === 'workflow') return undefined;
  if (options?.stepQueues === 'tiers') return `${prefix}-${tier}`;
  return `${prefix}-${options?.tierQueues === false ? 'normal' : tier}`;
}

export function mergedRetry(pipeline: Pipeline, own: RetrySpec | undefined): RetrySpec {
  return { ...pipeline.defaults?.retry, ...own };
}

/** The action's timeout over the pipeline's defaults; `5m` (the shorthand) is `{ startToClose: 5m }`. */
export function mergedTimeout(pipeline: Pipeline, own: TimeoutSpec | string | undefined): TimeoutSpec {
  return { ...timeoutSpec(pipeline.defaults?.timeout), ...timeoutSpec(own) };
}

export function retryPolicyFor(retry: RetrySpec): RetryPolicy {
  const policy = effectiveRetry(undefined, retry);
  const out: RetryPolicy = {
    maximumAttempts: policy.maxAttempts,
    initialInterval: policy.initialIntervalMs,
    backoffCoefficient: policy.backoff === 'exponential' ? policy.backoffCoefficient : 1,
    maximumInterval: policy.maxIntervalMs,
  };
  if (policy.nonRetryableErrors) out.nonRetryableErrorTypes = policy.nonRetryableErrors;
  return out;
}

/** Linear and fixed backoff and jitter are computed by the activity itself (Temporal's policy is exponential only). */
export function backoffSpecFor(retry: RetrySpec): BackoffSpec | undefined {
  const policy: EffectiveRetry = effectiveRetry(undefined, retry);
  if (policy.backoff === 'exponential' && !policy.jitter) return undefined;
  return {
    backoff: policy.backoff,
    initialIntervalMs: policy.initialIntervalMs,
    coefficient: policy.backoffCoefficient,
    maxIntervalMs: policy.maxIntervalMs,
    jitter: policy.jitter,
  };
}

export interface StepActivityOptionsInput {
  tier: Priority;
  retry: RetrySpec;
  timeout: TimeoutSpec;
  summary: string;
  tenant?: string;
  options?: ReviewOptions;
  /** Steps with an undo wait for their cancellation to be confirmed, so work that finished anyway is compensated. */
  cancellationType?: ActivityCancellationType;
}

export function activityOptionsFor(input: StepActivityOptionsInput): ActivityOptions {
  const { timeout } = input;
  const startToClose = timeout.startToClose ?? (timeout.scheduleToClose ? undefined : DEFAULT_START_TO_CLOSE);
  const queue = stepTaskQueue(input.tier, input.options);
  // Only the options that are set: the SDK merges and validates every key of them at each call.
  const options: ActivityOptions = { retry: retryPolicyFor(input.retry), summary: input.summary };
  if (queue !== undefined) options.taskQueue = queue;
  if (startToClose) options.startToCloseTimeout = parseDuration(startToClose);
  if (timeout.scheduleToClose) options.scheduleToCloseTimeout = parseDuration(timeout.scheduleToClose);
  if (!options.startToCloseTimeout && !options.scheduleToCloseTimeout) {
    // Temporal refuses such an activity with the whole workflow task, which would then retry for good.
    throw new Error(`timeout ${startToClose ?? timeout.scheduleToClose ?? ''} leaves the step no time to run: give startToClose or scheduleToClose a positive duration`);
  }
  if (timeout.heartbeat) options.heartbeatTimeout = parseDuration(timeout.heartbeat);
  if (timeout.scheduleToStart) options.scheduleToStartTimeout = parseDuration(timeout.scheduleToStart);
  if (input.cancellationType) options.cancellationType = input.cancellationType;
  if (input.options?.nativePriority !== false) options.priority = { priorityKey: PRIORITY_KEYS[input.tier], ...(input.tenant ? { fairnessKey: input.tenant } : {}) };
  else if (input.tenant) options.priority = { fairnessKey: input.tenant };
  return options;
}
