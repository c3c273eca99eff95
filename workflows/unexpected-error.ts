/**
 * An error the review's own code did not expect (a bug, not a refusal or a step's failure) ends the
 * review as failed, saying why. Thrown as is, a plain error would fail the workflow task at every attempt
 * and leave the review stuck until a fixed worker is deployed.
 */
import { ApplicationFailure, ContinueAsNew, TemporalFailure, WorkflowError, isCancellation } from '@temporalio/workflow';
import type { ReviewStatus } from './types';

/** What ends a review the way it means to: its outcome, continue-as-new, or the SDK's own errors (non-determinism). */
export function isIntendedEnd(err: unknown): boolean {
  return err instanceof TemporalFailure || err instanceof ContinueAsNew || err instanceof WorkflowError || isCancellation(err);
}

export interface FailingReview {
  /** Records the reason and marks the review failed where people look (status, search attributes, metrics). */
  markFailed(reason: string): void;
  snapshot(): ReviewStatus;
}

/** `err` itself when it is an intended end, else the failure that ends the review because of it. */
export function reviewEndFor(review: FailingReview, err: unknown): unknown {
  if (isIntendedEnd(err)) return err;
  const reason = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  let details: ReviewStatus[] = [];
  try {
    review.markFailed(reason);
    details = [review.snapshot()];
  } catch {
    // The review's own state is what broke: the reason alone is what can be said.
  }
  return reviewFailure(reason, details, err instanceof Error ? err : undefined);
}

/** How a failed review ends its workflow: the client reads the type and the status in the details. */
export function reviewFailure(reason: string | undefined, details: ReviewStatus[], cause?: Error): ApplicationFailure {
  return ApplicationFailure.create({ message: `review failed: ${reason}`, type: 'ReviewFailed', nonRetryable: true, details, cause });
}
