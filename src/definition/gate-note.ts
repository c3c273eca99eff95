/**
 * A gate that was skipped (its `if:` was false) or cancelled before anyone decided is described by why it
 * ended, not by "0/1 approvals". Pure code: the workflow sandbox (Web UI details), the CLI and the review
 * page all use it.
 */
import type { StepStatus } from '../../workflows/types';

/** Why the gate ended undecided, or undefined when its approvals are what to show. */
export function undecidedGateReason(step: StepStatus): string | undefined {
  const gate = step.gate;
  if (!gate || gate.approvals.length > 0 || gate.rejections.length > 0) return undefined;
  if (step.state !== 'skipped' && step.state !== 'cancelled') return undefined;
  return step.skippedReason ?? step.error;
}
