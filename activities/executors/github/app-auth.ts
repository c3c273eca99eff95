/**
 * GitHub App authentication: a short-lived JWT signed with the App's private key (RS256), exchanged
 * for an installation token that this worker process keeps until shortly before it expires.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { StepError } from '../../executor';
import type { AppAuth } from './schema';

/** GitHub refuses JWTs that live longer than 10 minutes; issuing them 60 s in the past absorbs clock drift. */
const JWT_BACKDATE_S = 60;
const JWT_LIFETIME_S = 9 * 60;
/** A cached installation token is renewed this long before it expires. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

export interface InstallationToken {
  token: string;
  expiresAtMs: number;
}

const cache = new Map<string, InstallationToken>();
const pending = new Map<string, Promise<InstallationToken>>();

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function privateKey(app: AppAuth): KeyObject {
  try {
    return createPrivateKey(app.privateKey.replace(/\\n/g, '\n'));
  } catch {
    // The key itself never goes into the message.
    throw StepError.nonRetryable(
      `the private key of GitHub App ${app.appId} is not a readable PEM key (paste the .pem file GitHub generated)`,
      'GitHubAppKeyInvalid',
    );
  }
}

/** A JWT that authenticates as the App: iat 60 s ago, exp 9 min ahead, iss the App id. */
export function appJwt(app: AppAuth, nowMs: number = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const iss = typeof app.appId === 'string' && /^\d+$/.test(app.appId) ? Number(app.appId) : app.appId;
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: now - JWT_BACKDATE_S, exp: now + JWT_LIFETIME_S, iss }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey(app));
  return `${header}.${payload}.${base64url(signature)}`;
}

function cacheKey(app: AppAuth, apiUrl: string): string {
  const keyHash = createHash('sha256').update(app.privateKey).digest('hex').slice(0, 16);
  return `${apiUrl}|${app.appId}|${app.installationId}|${keyHash}`;
}

/**
 * The installation token for `app`, from the process cache while it has more than five minutes left,
 * otherwise from `exchange` (POST /app/installations/{id}/access_tokens with the JWT). Concurrent
 * callers share one exchange.
 */
export async function installationToken(
  app: AppAuth,
  apiUrl: string,
  exchange: (jwt: string) => Promise<InstallationToken>,
  now: () => number = Date.now,
): Promise<string> {
  const key = cacheKey(app, apiUrl);
  const cached = cache.get(key);
  if (cached && cached.expiresAtMs - now() > TOKEN_RENEW_BEFORE_MS) return cached.token;
  let inFlight = pending.get(key);
  if (!inFlight) {
    inFlight = exchange(appJwt(app, now())).finally(() => pending.delete(key));
    pending.set(key, inFlight);
  }
  const fresh = await inFlight;
  cache.set(key, fresh);
  return fresh.token;
}

/** Drops the cached token (GitHub answered 401 to it: revoked or expired early). */
export function forgetInstallationToken(app: AppAuth, apiUrl: string): void {
  cache.delete(cacheKey(app, apiUrl));
}

/** Empties the cache (tests). */
export function clearInstallationTokens(): void {
  cache.clear();
  pending.clear();
}
