/**
 * Approval links for a gate's reminder or escalation, made on the worker (never in workflow code: the key
 * must stay out of history). The gate's approvers, deadline and decisions so far come from the review's
 * `status` query; links are made only when the worker has REVIEW_UI_KEY (or _FILE) and REVIEW_UI_BASE_URL.
 */
import type { Client } from '@temporalio/client';
import { statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';
import { loadRoleMembers, type RoleMembers } from './approver-logins';
import { gateApprovalLinks, type ApprovalLink } from './gate-links';
import { linkSigningFromEnv, type LinkSigning } from './link-config';

export interface ReminderLinkRequest {
  reviewId: string;
  /** The gate's step id (a reminder runs as its gate's step). */
  gateId: string;
  kind: string;
}

export interface ReminderLinkSources {
  signing: LinkSigning | undefined;
  roles?: RoleMembers;
  /** The review's status (the worker's client runs the `status` query). */
  status(reviewId: string): Promise<ReviewStatus>;
}

/** Only a gate's own notifications carry its links. */
export const LINKED_KINDS: ReadonlySet<string> = new Set(['reminder', 'escalation']);

export async function reminderApprovalLinks(request: ReminderLinkRequest, sources: ReminderLinkSources, now: number = Date.now()): Promise<ApprovalLink[]> {
  if (!sources.signing || !LINKED_KINDS.has(request.kind)) return [];
  const status = await sources.status(request.reviewId);
  return gateApprovalLinks(status, request.gateId, sources.signing, sources.roles, now);
}

/** The sources a worker has: its environment, its directory file, and the client of the running activity. */
export function workerLinkSources(client: () => Client, env: Record<string, string | undefined> = process.env): ReminderLinkSources {
  const signing = linkSigningFromEnv(env);
  const directory = env.REVIEW_DIRECTORY_FILE?.trim();
  return {
    signing,
    ...(signing && directory ? { roles: loadRoleMembers(directory) } : {}),
    status: (reviewId) => client().workflow.getHandle(reviewId).query(statusQuery),
  };
}

/** The text a chat shows: the message, then a line per approver with their link. */
export function withLinkLines(text: string, links: readonly ApprovalLink[]): string {
  if (links.length === 0) return text;
  return `${text}\n${links.map((l) => `Decide as ${l.approver}: ${l.url}`).join('\n')}`;
}
