/**
 * The contract between the review workflow and the step activity. Types only: the workflow imports it
 * with `import type`.
 */
import type { Priority } from '../src/definition/schema';

export type StepKind = 'step' | 'undo' | 'fallback' | 'escalation' | 'reminder' | 'finally';

export interface ReviewInfo {
  id: string;
  pipeline: string;
  priority: Priority;
  tenant?: string;
  subject?: string;
}

/** How the activity computes its own next retry delay (linear and fixed backoff, jitter). */
export interface BackoffSpec {
  backoff: 'exponential' | 'linear' | 'fixed';
  initialIntervalMs: number;
  coefficient: number;
  maxIntervalMs: number;
  jitter: number;
}

export interface StepRequest {
  review: ReviewInfo;
  stepId: string;
  kind: StepKind;
  /** Executor type. */
  uses: string;
  /** Inputs with every ${{ }} expression already resolved by the workflow. */
  with: Record<string, unknown>;
  /** Keys of `with` whose values must never be logged. */
  secret?: string[];
  backoff?: BackoffSpec;
}

/** Removal of a review's workspace, sent to the task queue of the worker that holds it. */
export interface RemoveWorkspaceRequest {
  reviewId: string;
  /** The `workspace` a checkout returned. */
  workspace: string;
}

export interface RemoveWorkspaceResponse {
  removed: boolean;
  reason?: string;
}

export interface StepResponse {
  output: unknown;
  /** One line for the Web UI and the CLI, e.g. "3 findings, 1 error". */
  summary?: string;
  /** The attempt that produced this response (1 for the first). */
  attempt?: number;
}
