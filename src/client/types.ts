/** Inputs and outputs of the ReviewClient. */
import type { Pipeline, PipelineInput, Priority } from '../definition/schema';
import type { ReviewState, ReviewStatus, StepQueues } from '../../workflows/types';

/** A pipeline object, the name of a built-in pipeline (`pr-review`), or the path of a YAML/JSON file. */
export type PipelineSource = Pipeline | PipelineInput | string;

export interface StartReviewOptions {
  /** Review (workflow) id; starting twice with the same id returns the existing review. Default: `<pipeline>-<random>`. */
  id?: string;
  priority?: Priority;
  /** Values for the pipeline's params; strings are coerced to each param's type. */
  params?: Record<string, unknown>;
  tenant?: string;
  subject?: string;
  /** Task queue prefix the workers poll (default `review`). */
  taskQueuePrefix?: string;
  /** Where the review's steps run: `workflow` (default) on the review's own task queue, `tiers` on `<prefix>-<tier>`. */
  stepQueues?: StepQueues;
  /** Keep a failed review open this long (`1h`, `2d`) so it can be retried. */
  retryWindow?: string;
  /** When a closed review with this id exists, start a new run instead of returning it. */
  restartIfClosed?: boolean;
  /**
   * When the review with this id ended cancelled or terminated, start a new run of it, unless that run was
   * started with the same `requestKey` (a repeated request). A review that completed, failed or was
   * rejected is returned as it is.
   */
  restartIfCancelled?: boolean;
  /** With `restartIfCancelled`: a review that failed (or timed out) is started again too, under the same rules. */
  restartIfFailed?: boolean;
  /** The caller's key for this request (e.g. a webhook delivery id), kept with the review; see `restartIfCancelled`. */
  requestKey?: string;
  /**
   * When the request was made (ISO 8601), e.g. the time of the event that asked for the review; kept with the
   * review and given back as `requestTime` by `list` and `describe`, so a caller can tell newer requests from older ones.
   */
  requestTime?: string;
}

export interface StartedReview {
  reviewId: string;
  runId: string;
  /** True when a review with this id already existed and was returned instead of starting one. */
  existing: boolean;
  /** With `requestKey`: true when the review returned was started by an earlier request with the same key (a repeat). */
  repeat?: boolean;
  /** True when the review returned has already finished (an existing, closed review). */
  closed?: boolean;
}

export type ReviewOutcome = 'completed' | 'rejected' | 'failed' | 'cancelled' | 'terminated' | 'timed_out';

export type ReviewResult = ReviewStatus & { outcome: ReviewOutcome };

export interface ReviewFilter {
  status?: ReviewState;
  pipeline?: string;
  priority?: Priority;
  tenant?: string;
  subject?: string;
  /** true: only reviews whose workflow is still running; false: only closed ones. */
  open?: boolean;
}

export interface ListOptions extends ReviewFilter {
  /** At most this many reviews, in Temporal's visibility order: open reviews first, then the most recently closed (default 100). */
  limit?: number;
}

export interface ReviewSummary {
  reviewId: string;
  runId: string;
  pipeline?: string;
  /** The review's state as last published to the ReviewStatus search attribute. */
  state?: ReviewState;
  priority?: Priority;
  subject?: string;
  tenant?: string;
  /** Temporal's own status of the execution: RUNNING, COMPLETED, FAILED, CANCELLED, ... */
  execution: string;
  startTime: string;
  closeTime?: string;
  taskQueue: string;
  /** The `requestTime` the review was started with. */
  requestTime?: string;
  /** The review's data (input, results, memo) is encrypted: its payloads need key `keyId`. */
  encrypted?: true;
  keyId?: string;
  /** This client does not have key `keyId`: it can list the review but not read its status or result. */
  keyMissing?: true;
}

export interface ReviewDescription extends ReviewSummary {
  historyLength: number;
  summary?: string;
  details?: string;
  pendingSteps: PendingStep[];
}

/** A step's activity as the server sees it right now. */
export interface PendingStep {
  step?: string;
  activityId: string;
  attempt: number;
  state: string;
  lastFailure?: string;
  nextAttemptAt?: string;
}

export interface DecideOptions {
  /** The gate's step id; may be omitted when exactly one gate is open. */
  step?: string;
  by: string;
  roles?: string[];
  comment?: string;
  /** When the gate has not opened yet, keep the decision and apply it when the gate opens (checked again then). */
  hold?: boolean;
}

export interface WatchOptions {
  /** Poll interval (default 1000 ms). */
  intervalMs?: number;
  signal?: AbortSignal;
}

export type ScheduleTiming = { cron: string | string[]; every?: never } | { every: string; cron?: never };

export type CreateScheduleOptions = ScheduleTiming & {
  id: string;
  pipeline: PipelineSource;
  input?: Record<string, unknown>;
  params?: Record<string, unknown>;
  priority?: Priority;
  tenant?: string;
  subject?: string;
  taskQueuePrefix?: string;
  stepQueues?: StepQueues;
  note?: string;
  paused?: boolean;
};

export interface ReviewScheduleSummary {
  scheduleId: string;
  pipeline?: string;
  priority?: string;
  cron: string[];
  every: string[];
  paused: boolean;
  note?: string;
  nextRuns: string[];
  recentRuns: { reviewId: string; startedAt: string }[];
}
