/**
 * The review workflow's public data: its input, the status query, decisions and the result.
 * Types only, shared with the client through `import type`.
 */
import type { Pipeline, Priority } from '../src/definition/schema';

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

export interface ReviewOptions {
  /** How long a failed review stays open for a `retry` update before it closes (default: closes at once). */
  retryWindow?: string;
  /** Task queue prefix for the priority tiers: `<prefix>-critical` ... `<prefix>-low` (default `review`). */
  taskQueuePrefix?: string;
  /** Send steps to per-tier task queues (default true). When false every step goes to `<prefix>-normal`. */
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
  options?: ReviewOptions;
  /** State carried across continue-as-new, or from an earlier run being retried. */
  carried?: CarriedState;
}

export interface Decision {
  step: string;
  verdict: 'approve' | 'reject';
  by: string;
  comment?: string;
  at: string;
}

export interface DecisionInput {
  /** The gate's step id; may be omitted when exactly one gate is open. */
  step?: string;
  by: string;
  /** Roles the caller holds, matched against `role:<name>` approvers. */
  roles?: string[];
  comment?: string;
}

export interface GateStatus {
  approvers: string[];
  required: number;
  approvals: Decision[];
  rejections: Decision[];
  outcome?: 'approved' | 'rejected' | 'timed_out';
  deadlineRemainingMs?: number;
  remindersSent: number;
  escalated: boolean;
}

export interface StepStatus {
  id: string;
  name?: string;
  uses?: string;
  kind: 'task' | 'gate';
  needs: string[];
  priority: Priority;
  state: StepState;
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
}

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
  progress: { done: number; total: number; percent: number };
  startedAt: string;
  endedAt?: string;
  lastError?: string;
  steps: StepStatus[];
  decisions: Decision[];
  transitions: StateChange[];
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

export interface CarriedState {
  steps: StepStatus[];
  decisions: Decision[];
  transitions: StateChange[];
  startedAt: string;
  state: ReviewState;
  paused: boolean;
  reviewTimeoutRemainingMs?: number;
  continuedAsNew: number;
  undoOrder: string[];
}
