/** Errors the client raises, each with a stable `code`, mapped from Temporal errors and update rejections. */
import {
  isGrpcServiceError,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { formatIssues, type ValidationIssue } from '../definition/issues';

export type ReviewErrorCode =
  | 'not_found'
  | 'already_finished'
  | 'gate_not_open'
  | 'not_allowed'
  | 'conflict'
  | 'invalid_pipeline'
  | 'invalid_request'
  | 'unavailable'
  | 'encrypted';

export class ReviewError extends Error {
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
    readonly reviewId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ReviewNotFoundError extends ReviewError {
  constructor(reviewId: string, what = 'review') {
    super('not_found', `no ${what} with id '${reviewId}'`, reviewId);
  }
}

export class ReviewAlreadyFinishedError extends ReviewError {
  constructor(reviewId: string, detail?: string) {
    super('already_finished', `review '${reviewId}' has already finished${detail ? ` (${detail})` : ''}`, reviewId);
  }
}

export class GateNotOpenError extends ReviewError {
  constructor(reviewId: string, reason: string) {
    super('gate_not_open', `review '${reviewId}': ${reason}`, reviewId);
  }
}

export class NotAllowedError extends ReviewError {
  constructor(reviewId: string, reason: string) {
    super('not_allowed', `review '${reviewId}': ${reason}`, reviewId);
  }
}

/** The request makes no sense in the review's current state (retrying a review that has not failed, ...). */
export class ReviewConflictError extends ReviewError {
  constructor(reviewId: string, reason: string) {
    super('conflict', `review '${reviewId}': ${reason}`, reviewId);
  }
}

export class ScheduleExistsError extends ReviewConflictError {
  constructor(scheduleId: string) {
    super(scheduleId, 'a schedule with this id already exists');
    this.message = `schedule '${scheduleId}' already exists: choose another id, or delete it first (review schedule delete ${scheduleId})`;
  }
}

export class InvalidRequestError extends ReviewError {
  constructor(message: string, reviewId?: string) {
    super('invalid_request', reviewId ? `review '${reviewId}': ${message}` : message, reviewId);
  }
}

export class InvalidPipelineError extends ReviewError {
  constructor(
    readonly issues: readonly ValidationIssue[],
    heading = 'invalid pipeline',
  ) {
    super('invalid_pipeline', `${heading}:\n${formatIssues(issues)}`);
  }
}

function innermostMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

export const GRPC_STATUS = { CANCELLED: 1, INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9 } as const;

/** The first gRPC error with `code` in the chain of causes the SDK wraps server errors in. */
export function grpcCause(error: unknown, code: number): (Error & { details?: string }) | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === code) return e as Error & { details?: string };
  }
  return undefined;
}
const FINISHED = /already completed|already finished|workflow execution is closed|workflow is closed/i;

/** An update validator's refusal (the workflow's own words) as a typed error. */
export function rejectionError(reviewId: string, reason: string): ReviewError {
  if (/may not decide/.test(reason)) return new NotAllowedError(reviewId, reason);
  if (/is not open|has not opened yet|no approval gate is open|already decided|not an approval gate/.test(reason)) return new GateNotOpenError(reviewId, reason);
  if (/can be retried|several gates are open|decisions are no longer accepted|timeout .* has run out/.test(reason)) return new ReviewConflictError(reviewId, reason);
  return new InvalidRequestError(reason, reviewId);
}

/** Maps an error from a call on review `reviewId` to a ReviewError when it is one the caller can act on. */
/** The server's own words when it refused a request as invalid (too large an input, too long an id), found under the SDK's wrapping. */
function invalidArgumentOf(error: unknown): string | undefined {
  const refused = grpcCause(error, GRPC_STATUS.INVALID_ARGUMENT);
  return refused && (refused.details || refused.message);
}

export function mapTemporalError(error: unknown, reviewId: string): unknown {
  if (error instanceof ReviewError) return error;
  if (error instanceof ScheduleNotFoundError) return new ReviewNotFoundError(reviewId, 'schedule');
  if (error instanceof ScheduleAlreadyRunning) return new ScheduleExistsError(reviewId);
  if (isGrpcServiceError(error) && error.code === GRPC_STATUS.NOT_FOUND) {
    return FINISHED.test(error.details ?? error.message) ? new ReviewAlreadyFinishedError(reviewId) : new ReviewNotFoundError(reviewId);
  }
  const refused = invalidArgumentOf(error);
  if (refused !== undefined) return new InvalidRequestError(`Temporal refused the request: ${refused}`, reviewId);
  if (error instanceof WorkflowUpdateFailedError) return rejectionError(reviewId, innermostMessage(error));
  if (error instanceof WorkflowNotFoundError || (error instanceof Error && error.name === 'WorkflowNotFoundError')) {
    return FINISHED.test(error.message) ? new ReviewAlreadyFinishedError(reviewId) : new ReviewNotFoundError(reviewId);
  }
  if (error instanceof Error && FINISHED.test(error.message)) return new ReviewAlreadyFinishedError(reviewId);
  return error;
}

/** Runs `fn`, rethrowing Temporal errors as ReviewErrors. */
export async function mapped<T>(reviewId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapTemporalError(error, reviewId);
  }
}
