/**
 * Signed approval links: a token bound to one review, one gate (its step id) and one approver, valid
 * until an expiry, signed with HMAC-SHA256 under the review page's key (REVIEW_UI_KEY). Whoever holds
 * the key can sign (the review page, workers sending reminders); nothing is stored anywhere: a link
 * carries everything it claims, and its signature says the key's holder made that claim.
 *
 * Token: base64url(JSON claims) "." base64url(HMAC-SHA256(key, "review-approval-link.v1." + claims part)).
 * Single use is not the token's business: the review page refuses a link whose approver has already
 * decided the gate, or whose gate is no longer open (see link-checks.ts), reading the review's own status.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a link grants: `approver` may decide gate `gate` of review `reviewId` until `expiresAt`. */
export interface ApprovalLinkClaims {
  reviewId: string;
  gate: string;
  approver: string;
  /** Epoch milliseconds after which the link is refused. */
  expiresAt: number;
}

export type ApprovalLinkRefusal = 'malformed' | 'bad_signature' | 'expired';

export type VerifiedApprovalLink = { ok: true; claims: ApprovalLinkClaims } | { ok: false; reason: ApprovalLinkRefusal; message: string };

/** Keys shorter than this are refused: the key is all that stands between a link and a forged one. */
export const MIN_KEY_BYTES = 32;
const DOMAIN = 'review-approval-link.v1.';
const MAX_TOKEN_CHARS = 4096;

const ClaimsSchema = z.object({
  v: z.literal(1),
  r: z.string().min(1).max(1000),
  g: z.string().min(1).max(200),
  a: z.string().min(1).max(200),
  e: z.number().int().positive(),
});

/** Refuses a key too short to sign with, saying where it came from and how to make one. */
export function checkKey(key: string | Buffer, source = 'REVIEW_UI_KEY'): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (bytes.length < MIN_KEY_BYTES) {
    throw new Error(`${source} is ${bytes.length} bytes; approval links need a key of at least ${MIN_KEY_BYTES} bytes (e.g. the output of: openssl rand -hex 32)`);
  }
  return bytes;
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(DOMAIN).update(body).digest();
}

/** The token for `claims`, to put in a link as `?t=<token>`. */
export function signApprovalLink(key: string | Buffer, claims: ApprovalLinkClaims): string {
  const secret = checkKey(key);
  const parsed = ClaimsSchema.safeParse({ v: 1, r: claims.reviewId, g: claims.gate, a: claims.approver, e: Math.floor(claims.expiresAt) });
  if (!parsed.success) {
    throw new Error(`cannot sign an approval link for review '${claims.reviewId}', gate '${claims.gate}', approver '${claims.approver}': ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const body = Buffer.from(JSON.stringify(parsed.data), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** The claims of a token whose signature matches (compared in constant time) and that has not expired. */
export function verifyApprovalLink(key: string | Buffer, token: string | undefined | null, now: number = Date.now()): VerifiedApprovalLink {
  const malformed = (message: string): VerifiedApprovalLink => ({ ok: false, reason: 'malformed', message: `this approval link is not valid: ${message}` });
  if (typeof token !== 'string' || token.length === 0) return malformed('it carries no token');
  if (token.length > MAX_TOKEN_CHARS) return malformed('the token is too long');
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0] as string) || !/^[A-Za-z0-9_-]+$/.test(parts[1] as string)) {
    return malformed('the token is not of the form <claims>.<signature>; copy the whole link');
  }
  const [body, signature] = parts as [string, string];
  const expected = mac(checkKey(key), body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature', message: 'this approval link was not signed by this review page (it was altered, or signed with another key)' };
  }
  let claims: z.infer<typeof ClaimsSchema>;
  try {
    claims = ClaimsSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    return malformed('its claims cannot be read');
  }
  if (now >= claims.e) {
    return { ok: false, reason: 'expired', message: `this approval link expired at ${new Date(claims.e).toISOString()}; ask for a new one, or decide with the review CLI` };
  }
  return { ok: true, claims: { reviewId: claims.r, gate: claims.g, approver: claims.a, expiresAt: claims.e } };
}

/** The page an approval link opens: `<base>/approve?t=<token>`. */
export function approvalLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/approve?t=${encodeURIComponent(token)}`;
}
