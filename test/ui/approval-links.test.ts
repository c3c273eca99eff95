import { signApprovalLink, verifyApprovalLink, approvalLinkUrl } from '../../src/ui/approval-links';
import { approverLogins, roleMembersOf } from '../../src/ui/approver-logins';
import { gateApprovalLinks } from '../../src/ui/gate-links';
import { checkLinkUse } from '../../src/ui/link-checks';
import { linkExpiry, linkSigningFromEnv } from '../../src/ui/link-config';
import type { ReviewStatus, StepStatus } from '../../workflows/types';

const KEY = 'an-approval-link-key-of-at-least-32-bytes';
const NOW = Date.parse('2030-01-01T00:00:00Z');
const claims = { reviewId: 'blog-1', gate: 'editor', approver: 'alice', expiresAt: NOW + 60_000 };

function gateStep(over: Partial<StepStatus> = {}, gate: Partial<NonNullable<StepStatus['gate']>> = {}): StepStatus {
  return {
    id: 'editor',
    kind: 'gate',
    needs: [],
    priority: 'normal',
    state: 'awaiting_approval',
    attempts: 0,
    gate: { approvers: ['role:editor', 'carol'], required: 2, approvals: [], rejections: [], remindersSent: 0, escalated: false, deadlineAt: new Date(NOW + 3_600_000).toISOString(), ...gate },
    ...over,
  };
}

function status(steps: StepStatus[], over: Partial<ReviewStatus> = {}): ReviewStatus {
  return {
    reviewId: 'blog-1',
    pipeline: 'blog',
    priority: 'normal',
    state: 'awaiting_approval',
    progress: { done: 0, total: steps.length, percent: 0 },
    startedAt: new Date(NOW).toISOString(),
    steps,
    decisions: [],
    transitions: [],
    continuedAsNew: 0,
    ...over,
  };
}

describe('signed approval links', () => {
  test('a link signed with the key verifies and gives back its claims', () => {
    const token = signApprovalLink(KEY, claims);
    expect(verifyApprovalLink(KEY, token, NOW)).toEqual({ ok: true, claims });
    expect(approvalLinkUrl('https://reviews.example.com/', token)).toBe(`https://reviews.example.com/approve?t=${token}`);
  });

  test('a tampered link is refused: other claims under the old signature, or an altered signature', () => {
    const token = signApprovalLink(KEY, claims);
    const [body, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), a: 'mallory' })).toString('base64url');
    for (const bad of [`${forged}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, `${body}x.${mac}`]) {
      const result = verifyApprovalLink(KEY, bad, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    }
  });

  test('a link signed with another key is refused', () => {
    const token = signApprovalLink('another-key-that-is-also-32-bytes-long', claims);
    expect(verifyApprovalLink(KEY, token, NOW)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  test('an expired link is refused, saying when it expired', () => {
    const token = signApprovalLink(KEY, claims);
    const result = verifyApprovalLink(KEY, token, claims.expiresAt);
    expect(result).toMatchObject({ ok: false, reason: 'expired' });
    expect(!result.ok && result.message).toContain('2030-01-01T00:01:00.000Z');
  });

  test('a missing or malformed token is refused with what is wrong', () => {
    expect(verifyApprovalLink(KEY, undefined, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyApprovalLink(KEY, 'no-dot', NOW)).toMatchObject({ ok: false, reason: 'malformed', message: expect.stringContaining('copy the whole link') });
    expect(verifyApprovalLink(KEY, 'a.b.c', NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('a short key is refused when signing and when configuring', () => {
    expect(() => signApprovalLink('short', claims)).toThrow(/at least 32 bytes/);
    expect(() => linkSigningFromEnv({ REVIEW_UI_KEY: 'short', REVIEW_UI_BASE_URL: 'https://r.example.com' })).toThrow(/REVIEW_UI_KEY is 5 bytes/);
    expect(linkSigningFromEnv({ REVIEW_UI_KEY: KEY })).toBeUndefined();
    expect(() => linkSigningFromEnv({ REVIEW_UI_KEY: KEY, REVIEW_UI_BASE_URL: 'ftp://x' })).toThrow(/http or https/);
  });

  test('a link expires at the gate deadline, or after the configured maximum when the gate has none', () => {
    expect(linkExpiry('2030-01-02T00:00:00Z', NOW, 1000)).toBe(Date.parse('2030-01-02T00:00:00Z'));
    expect(linkExpiry(undefined, NOW, 1000)).toBe(NOW + 1000);
  });
});

describe('using a verified link', () => {
  test('an open gate the approver has not decided can be decided', () => {
    expect(checkLinkUse(claims, status([gateStep()]))).toMatchObject({ ok: true, step: { id: 'editor' } });
  });

  test('a link is used once: its approver already decided the gate', () => {
    const decided = gateStep({}, { approvals: [{ step: 'editor', verdict: 'approve', by: 'Alice', at: '2030-01-01T00:00:10Z' }] });
    expect(checkLinkUse(claims, status([decided]))).toMatchObject({ ok: false, reason: 'already_decided', message: expect.stringContaining('can be used once') });
  });

  test('a link to another gate, or to a step that is no gate, does not open this one', () => {
    expect(checkLinkUse({ ...claims, gate: 'legal' }, status([gateStep()]))).toMatchObject({ ok: false, reason: 'wrong_gate' });
    expect(checkLinkUse({ ...claims, gate: 'lint' }, status([{ ...gateStep(), id: 'lint', kind: 'task' }]))).toMatchObject({ ok: false, reason: 'wrong_gate' });
  });

  test('a gate that is closed, or not open yet, is refused', () => {
    expect(checkLinkUse(claims, status([gateStep({ state: 'succeeded' }, { outcome: 'approved' })]))).toMatchObject({ ok: false, reason: 'gate_closed', message: expect.stringContaining('approved') });
    expect(checkLinkUse(claims, status([gateStep({ state: 'pending' })]))).toMatchObject({ ok: false, reason: 'gate_closed' });
  });
});

describe('links for a gate', () => {
  const roles = roleMembersOf({ roles: { editor: { users: ['alice'], teams: ['acme/docs'] } }, teams: { 'acme/docs': ['bob', 'Alice'] } });

  test('role approvers expand to the directory members, each person once; `*` gets no link', () => {
    expect(approverLogins(['role:editor', 'carol', '*', 'ALICE'], roles)).toEqual(['alice', 'bob', 'carol']);
    expect(approverLogins(['role:editor', 'carol'], undefined)).toEqual(['carol']);
  });

  test('one link per approver yet to decide, expiring at the deadline, each verifying for its approver', () => {
    const signing = { key: Buffer.from(KEY), baseUrl: 'https://reviews.example.com', maxAgeMs: 1000 };
    const withAlice = gateStep({}, { approvals: [{ step: 'editor', verdict: 'approve', by: 'alice', at: '2030-01-01T00:00:10Z' }] });
    const links = gateApprovalLinks(status([withAlice]), 'editor', signing, roles, NOW);
    expect(links.map((l) => l.approver)).toEqual(['bob', 'carol']);
    for (const link of links) {
      expect(link.expiresAt).toBe(new Date(NOW + 3_600_000).toISOString());
      const token = decodeURIComponent(new URL(link.url).searchParams.get('t') as string);
      expect(verifyApprovalLink(KEY, token, NOW)).toMatchObject({ ok: true, claims: { reviewId: 'blog-1', gate: 'editor', approver: link.approver } });
    }
    expect(gateApprovalLinks(status([gateStep({ state: 'succeeded' }, { outcome: 'approved' })]), 'editor', signing, roles, NOW)).toEqual([]);
  });
});
