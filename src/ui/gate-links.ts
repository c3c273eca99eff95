/** The signed approval links of an open gate: one per person its approvers name who has not decided yet. */
import type { ReviewStatus } from '../../workflows/types';
import { approvalLinkUrl, signApprovalLink } from './approval-links';
import { approverLogins, type RoleMembers } from './approver-logins';
import { linkExpiry, type LinkSigning } from './link-config';

export interface ApprovalLink {
  approver: string;
  url: string;
  expiresAt: string;
}

export function gateApprovalLinks(status: ReviewStatus, gateId: string, signing: LinkSigning, roles: RoleMembers | undefined, now: number = Date.now()): ApprovalLink[] {
  const step = status.steps.find((s) => s.id === gateId);
  const gate = step?.gate;
  if (!step || !gate || step.state !== 'awaiting_approval' || gate.outcome !== undefined) return [];
  const decided = new Set([...gate.approvals, ...gate.rejections].map((d) => d.by.toLowerCase()));
  const expiresAt = linkExpiry(gate.deadlineAt, now, signing.maxAgeMs);
  if (expiresAt <= now) return [];
  return approverLogins(gate.approvers, roles)
    .filter((login) => !decided.has(login.toLowerCase()))
    .map((approver) => ({
      approver,
      url: approvalLinkUrl(signing.baseUrl, signApprovalLink(signing.key, { reviewId: status.reviewId, gate: gateId, approver, expiresAt })),
      expiresAt: new Date(expiresAt).toISOString(),
    }));
}
