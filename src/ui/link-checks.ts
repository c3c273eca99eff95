/**
 * What makes a verified approval link usable right now, read from the review's own status (durable,
 * nothing kept by the page): its gate must be open, and its approver must not have decided it yet.
 * The latter makes every link single-use: once its approver's decision is recorded, the link is spent.
 */
import type { GateStatus, ReviewStatus, StepStatus } from '../../workflows/types';
import type { ApprovalLinkClaims } from './approval-links';

export type LinkUse = { ok: true; step: StepStatus; gate: GateStatus } | { ok: false; reason: 'wrong_gate' | 'gate_closed' | 'already_decided'; message: string };

const sameLogin = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The gate the link opens, or why it cannot be used any more. */
export function checkLinkUse(claims: ApprovalLinkClaims, status: ReviewStatus): LinkUse {
  const step = status.steps.find((s) => s.id === claims.gate);
  if (!step || step.kind !== 'gate' || !step.gate) {
    return { ok: false, reason: 'wrong_gate', message: `review '${claims.reviewId}' has no gate '${claims.gate}'; this link does not belong to this review` };
  }
  const { gate } = step;
  const decided = [...gate.approvals, ...gate.rejections].find((d) => sameLogin(d.by, claims.approver));
  if (decided) {
    return {
      ok: false,
      reason: 'already_decided',
      message: `${claims.approver} already decided gate '${claims.gate}' (${decided.verdict} at ${decided.at}); an approval link can be used once`,
    };
  }
  if (step.state !== 'awaiting_approval' || gate.outcome !== undefined || status.decided !== undefined) {
    const why = gate.outcome ? `it was ${gate.outcome.replace('_', ' ')}` : `the step is ${step.state} and the review ${status.state}`;
    return { ok: false, reason: 'gate_closed', message: `gate '${claims.gate}' is not open for decisions (${why})` };
  }
  return { ok: true, step, gate };
}
