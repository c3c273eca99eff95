/**
 * How a step executor is declared: a type name, zod schemas for its input and output, and a `run`
 * function that gets a context bound to the review and step.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ReviewInfo, StepKind } from './types';
import type { WorkspaceHost } from './workspace-host';

export interface ExecutorContext {
  /** Bound to reviewId, pipeline, stepId, kind and attempt; secret values are scrubbed from every line. */
  logger: Logger;
  /** Records progress; Temporal keeps the last details and delivers cancellation through heartbeats. */
  heartbeat(details?: unknown): void;
  /** Aborted when Temporal cancels the activity (review cancelled, timeout, worker shutdown). */
  signal: AbortSignal;
  /** 1 for the first try. */
  attempt: number;
  review: ReviewInfo;
  stepId: string;
  kind: StepKind;
  /** This worker's workspaces and its own task queue (used by `checkout`); absent outside a review worker. */
  workspace?: WorkspaceHost;
}

export interface ExecutorDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** The name steps refer to with `uses:`. */
  type: string;
  description: string;
  input: I;
  output?: O;
  run(input: z.output<I>, ctx: ExecutorContext): Promise<z.input<O>>;
  /** One line for the Web UI and the CLI, e.g. "3 findings, 1 error". */
  summarize?(output: z.output<O>): string | undefined;
}

/** An executor with its types erased, as the registry holds it. */
export interface Executor {
  readonly type: string;
  readonly description: string;
  readonly input: z.ZodType;
  readonly output?: z.ZodType;
  run(input: unknown, ctx: ExecutorContext): Promise<unknown>;
  summarize?(output: unknown): string | undefined;
}

const TYPE_NAME = /^[a-z][a-z0-9]*([-_.][a-z0-9]+)*$/;

export function defineExecutor<I extends z.ZodType, O extends z.ZodType = z.ZodType<unknown>>(
  definition: ExecutorDefinition<I, O>,
): Executor {
  if (!TYPE_NAME.test(definition.type)) {
    throw new Error(
      `executor type "${definition.type}" is not valid: use lower-case letters and digits separated by - _ or . (e.g. "security-scan")`,
    );
  }
  return definition as unknown as Executor;
}

/**
 * An error an executor throws to say how the step failed. `type` is matched against the step's
 * `retry.nonRetryableErrors`; `nonRetryable` stops retrying at once (bad input, a 4xx answer).
 * A check that ran and found problems returns a result instead of throwing.
 */
export class StepError extends Error {
  readonly type: string;
  readonly nonRetryable: boolean;
  readonly details?: unknown;
  /** A delay the failing service asked for (e.g. Retry-After), used for the next attempt. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: { type?: string; nonRetryable?: boolean; details?: unknown; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepError';
    this.type = options.type ?? 'StepError';
    this.nonRetryable = options.nonRetryable ?? false;
    if (options.details !== undefined) this.details = options.details;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  static nonRetryable(message: string, type = 'StepError', details?: unknown): StepError {
    return new StepError(message, { type, nonRetryable: true, details });
  }

  static retryable(message: string, type = 'StepError', details?: unknown): StepError {
    return new StepError(message, { type, nonRetryable: false, details });
  }
}

/** The error to throw once `signal` is aborted: its reason when that is an Error. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('step cancelled');
}
