/** How long GitHub asks us to wait before the next request, from a 403 or 429 answer. */
import { retryAfterMs } from '../../lib/http';

/** GitHub's advice for a secondary rate limit that names no time: wait at least a minute. */
export const SECONDARY_LIMIT_DEFAULT_MS = 60_000;

/**
 * The wait GitHub asks for, or undefined when the answer is not a rate limit (a 403 for missing
 * permissions, say): `retry-after` first, then `x-ratelimit-remaining: 0` with `x-ratelimit-reset`
 * (epoch seconds), then a minute for a 429 or a message about a rate limit.
 */
export function rateLimitWaitMs(status: number, headers: Headers, message: string, nowMs: number = Date.now()): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = retryAfterMs(headers.get('retry-after'));
  if (retryAfter !== undefined) return retryAfter;
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs) + 1000;
    return SECONDARY_LIMIT_DEFAULT_MS;
  }
  if (status === 429 || /rate limit/i.test(message)) return SECONDARY_LIMIT_DEFAULT_MS;
  return undefined;
}
