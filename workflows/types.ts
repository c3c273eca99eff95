/**
 * The review workflow's public data: its input, the status query, decisions and the result.
 * Types only, shared with the client through `import type`.
 */
import type { Pipeline, Priority } from '../src/definition/schema';
import type { StepVerdict } from '../src/definition/verdict';

export type ReviewState =
  | 'pending'
  | 'running'
  | 'paused'
  | 'awaiting_approval'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'rejected';

export type StepState =
  | 'pending'
  | 'scheduled'
  | 'running'
  | 'retrying'
  | 'awaiting_approval'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

export type StepQueues = 'workflow' | 'tiers';

export interface ReviewOptions {
  /** How long a failed review stays open for a `retry` update before it closes (default: closes at once). */
  retryWindow?: string;
  /** Task queue prefix: reviews run on `<prefix>`, tier step queues are `<prefix>-critical` ... `<prefix>-low` (default `review`). */
  taskQueuePrefix?: string;
  /**
   * Where steps run: `workflow` on the review's own task queue, ordered by Temporal's priority and fairness keys
   * (and dispatched eagerly where the server allows it); `tiers` on `<prefix>-<tier>`, for tiers with fleets of
   * their own. Reviews started before this option existed leave it unset and keep the tier queues (see `tierQueues`).
   */
  stepQueues?: StepQueues;
  /** Reviews without `stepQueues`: send steps to per-tier task queues (default true); when false, to `<prefix>-normal`. */
  tierQueues?: boolean;
  /** Set Temporal's native priority key on each step (default true). */
  nativePriority?: boolean;
  /** Continue-as-new once history passes this many events, besides when Temporal suggests it. */
  historyLimit?: number;
  /** Upsert the Review* search attributes (default true). */
  searchAttributes?: boolean;
}

export interface ReviewWorkflowInput {
  definition: Pipeline;
  input?: Record<string, unknown>;
  /** Param values already resolved against the pipeline's `params` (defaults applied, types checked). */
  params?: Record<string, unknown>;
  priority?: Priority;
  /** Fairness key: the tenant, team or repository this review belongs to. */
  tenant?: string;
  /** What is reviewed (a PR, an article), shown in the Web UI and the CLI. */
  subject?: string;
  /** The review's page (`${REVIEW_UI_BASE_URL}/reviews/<id>`), linked from its current details in the Temporal Web UI. */
  pageUrl?: string;
  options?: ReviewOptions;
  /** State carried across continue-as-new, or from an earlier run being retried. */
  carried?: CarriedState;
  /**
   * The lifecycle version of the client that started the review (CURRENT_LIFECYCLE in ./patches). A
   * worker of that version runs it without recording the version's patch marker (./code-version.ts).
   */
  lifecycle?: string;
}

export interface Decision {
  step: string;
  verdict: 'approve' | 'reject';
  by: string;
  comment?: string;
  at: string;
  /** Roles the decider claimed, kept for a decision held until its gate opens (checked again then). */
  roles?: string[];
}

export interface DecisionInput {
  /** The gate's step id; may be omitted when exactly one gate is open. */
  step?: string;
  by: string;
  /** Roles the caller holds, matched against `role:<name>` approvers. */
  roles?: string[];
  comment?: string;
  /** When the gate has not opened yet: keep the decision and apply it when the gate opens, instead of refusing it. */
  hold?: boolean;
}

/** Takes back a person's approval that has not decided its gate yet (held, or one of several required). */
export interface WithdrawInput {
  /** The gate's step id; every gate when omitted. */
  step?: string;
  by: string;
  /** Why, kept in the review's notices (e.g. the GitHub review was dismissed). */
  reason?: string;
}

export interface GateStatus {
  approvers: string[];
  required: number;
  approvals: Decision[];
  rejections: Decision[];
  outcome?: 'approved' | 'rejected' | 'timed_out';
  /** How the outcome was reached: by the approvers, or by the `onTimeout` policy at the deadline. */
  decidedBy?: 'approvers' | 'deadline';
  /** Time left before the deadline, paused time excluded (frozen while paused). */
  deadlineRemainingMs?: number;
  /** When the deadline falls if the review is not paused again. */
  deadlineAt?: string;
  openedAt?: string;
  /** The review's held time (paused, waiting for a retry) when the gate opened: the deadline moves by what is held after. */
  heldAtOpenMs?: number;
  remindersSent: number;
  escalated: boolean;
  /** Decisions sent with `hold` before the gate opened; applied (and checked again) when it opens. */
  held?: Decision[];
}

export interface StepStatus {
  id: string;
  name?: string;
  uses?: string;
  kind: 'task' | 'gate';
  needs: string[];
  priority: Priority;
  state: StepState;
  /**
   * What the step found, beside its state (src/definition/verdict.ts): `passed`, `found_problems` (a check that
   * ran and found errors is `succeeded` with this verdict), `neutral` (gates, skipped, nothing to judge);
   * absent until the step finishes, and in statuses of workers older than the field.
   */
  verdict?: StepVerdict;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  output?: unknown;
  summary?: string;
  error?: string;
  skippedReason?: string;
  viaFallback?: boolean;
  undo?: { state: 'succeeded' | 'failed'; error?: string; at: string };
  gate?: GateStatus;
  /**
   * Set by the client from the server's pending activities, never by the workflow: the step was sent to its task
   * queue and no worker has taken it yet (the review shows it running from the moment it is sent).
   */
  waitingForWorker?: true;
}

/**
 * Where the review is in its life; `paused` is a separate flag. `settling`: an outcome is decided and
 * running steps are being stopped; `retry_window`: failed, waiting for a `retry`; `compensating`: undo steps run.
 */
export type ReviewPhase = 'running' | 'settling' | 'retry_window' | 'compensating' | 'closed';
export type ReviewOutcome = 'completed' | 'failed' | 'rejected' | 'cancelled';

export interface StateChange {
  from: ReviewState;
  to: ReviewState;
  at: string;
  reason?: string;
}

export interface ReviewStatus {
  reviewId: string;
  pipeline: string;
  version?: string;
  subject?: string;
  tenant?: string;
  priority: Priority;
  state: ReviewState;
  phase?: ReviewPhase;
  paused?: boolean;
  /** The outcome once decided; the review may still be stopping steps or running undo steps. */
  decided?: ReviewOutcome;
  progress: { done: number; total: number; percent: number };
  startedAt: string;
  endedAt?: string;
  /**
   * When the pipeline `timeout` falls if the review is not paused again; in the retry window, if it were
   * retried now: a time already past means the timeout has run out, and a retry is refused.
   */
  deadlineAt?: string;
  /** Time the review was held (paused, or failed and waiting for a retry): it does not count against deadlines. */
  heldMs?: number;
  lastError?: string;
  steps: StepStatus[];
  decisions: Decision[];
  /** Earlier decisions left out of `decisions` to keep the status small. */
  decisionsDropped?: number;
  transitions: StateChange[];
  /** Earlier transitions left out of `transitions` to keep the status small. */
  transitionsDropped?: number;
  /** Messages the review ignored or could not honour, newest last (bounded). */
  notices?: string[];
  /** The pipeline's `finally` actions, once the review has closed. */
  finalActions?: FinalActionStatus[];
  continuedAsNew: number;
}

export type ReviewResult = ReviewStatus;

export interface RetryInput {
  /** Re-run from this step (and everything downstream of it) instead of only the failed steps. */
  from?: string;
}

export interface RetryAccepted {
  rerun: string[];
}

/** Sent by the step activity so the workflow can show attempts and retries as they happen. */
export interface StepProgress {
  step: string;
  attempt: number;
  event: 'attempt_started' | 'attempt_failed';
  error?: string;
}

export interface CarriedLifecycle {
  phase: ReviewPhase;
  paused: boolean;
  outcome?: ReviewOutcome;
  reason?: string;
}

/** State carried across continue-as-new: bounded whatever the steps return. */
export interface CarriedState {
  format: 2;
  lifecycle: CarriedLifecycle;
  display: ReviewState;
  steps: StepStatus[];
  decisions: Decision[];
  decisionsDropped: number;
  transitions: StateChange[];
  transitionsDropped: number;
  notices: string[];
  startedAt: string;
  /** Held time so far, and when the current hold began (epoch ms) if the review is held now. */
  heldMs: number;
  heldSince?: number;
  continuedAsNew: number;
  undoOrder: string[];
}

export interface FinalActionStatus {
  name: string;
  uses: string;
  state: 'running' | 'succeeded' | 'failed' | 'skipped';
  summary?: string;
  error?: string;
}
