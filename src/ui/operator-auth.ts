/**
 * Operators sign in with the token the review page was given (REVIEW_UI_OPERATOR_TOKEN): as a bearer
 * header on each request, or once through the sign-in form, which sets an HttpOnly, SameSite=Strict
 * session cookie. The cookie holds an expiry and an HMAC of it under the token (never the token itself),
 * so the page keeps no sessions; changing the token signs everyone out. Forms carry a CSRF token derived
 * from the cookie, checked besides the request's origin.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'review_operator';
export const SESSION_MS = 12 * 60 * 60 * 1000;

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function sign(token: string, purpose: string, value: string): string {
  return createHmac('sha256', token).update(`review-ui.${purpose}.`).update(value).digest('base64url');
}

export function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

export type OperatorAuth = { via: 'bearer' } | { via: 'cookie'; session: string };

export class OperatorSessions {
  constructor(
    private readonly token: string | undefined,
    private readonly secureCookie: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.token !== undefined;
  }

  /** Whether `given` is the operator token (constant time). */
  tokenMatches(given: string | undefined): boolean {
    return this.token !== undefined && typeof given === 'string' && given.length > 0 && equal(given, this.token);
  }

  /** How the request proves it is an operator's, if it does. */
  authenticate(req: IncomingMessage): OperatorAuth | undefined {
    if (this.token === undefined) return undefined;
    const header = req.headers.authorization;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) return this.tokenMatches(header.replace(/^Bearer\s+/i, '').trim()) ? { via: 'bearer' } : undefined;
    const session = cookiesOf(req).get(SESSION_COOKIE);
    if (!session) return undefined;
    const [expires, mac] = session.split('.');
    if (!expires || !mac || !/^\d+$/.test(expires) || Number(expires) <= this.now()) return undefined;
    return equal(mac, sign(this.token, 'session', expires)) ? { via: 'cookie', session } : undefined;
  }

  /** The Set-Cookie header of a new session (call only after `tokenMatches`). */
  sessionCookie(): string {
    if (this.token === undefined) throw new Error('operator sign-in is off: set REVIEW_UI_OPERATOR_TOKEN');
    const expires = String(this.now() + SESSION_MS);
    const value = `${expires}.${sign(this.token, 'session', expires)}`;
    return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}${this.secureCookie ? '; Secure' : ''}`;
  }

  clearCookie(): string {
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${this.secureCookie ? '; Secure' : ''}`;
  }

  /** The CSRF token forms of this session carry. */
  csrfToken(auth: OperatorAuth): string {
    if (this.token === undefined || auth.via !== 'cookie') return '';
    return sign(this.token, 'csrf', auth.session);
  }

  /** A bearer request needs no CSRF token (a browser never adds the header on its own); a cookie one must match. */
  csrfValid(auth: OperatorAuth, given: string | undefined): boolean {
    if (auth.via === 'bearer') return true;
    return typeof given === 'string' && given.length > 0 && equal(given, this.csrfToken(auth));
  }
}
