/**
 * What people are told about a review's status, derived the same way wherever it is shown. Pure code: the
 * workflow sandbox (Web UI details), the CLI and the review page all use it.
 */
import type { ReviewStatus, StepStatus } from '../../workflows/types';

/**
 * Why a gate ended undecided (skipped by its `if:`, or cancelled before anyone decided), which says more
 * than "0/1 approvals"; undefined when its approvals are what to show.
 */
export function undecidedGateReason(step: StepStatus): string | undefined {
  const gate = step.gate;
  if (!gate || gate.approvals.length > 0 || gate.rejections.length > 0) return undefined;
  if (step.state !== 'skipped' && step.state !== 'cancelled') return undefined;
  return step.skippedReason ?? step.error;
}

/** Whether a review in its retry window has run out of `timeout`, so that it refuses a retry (it would time out at once). */
export function timeoutRanOut(status: ReviewStatus, nowMs: number): boolean {
  return status.phase === 'retry_window' && status.deadlineAt !== undefined && Date.parse(status.deadlineAt) <= nowMs;
}
