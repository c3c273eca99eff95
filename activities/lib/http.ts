/** Shared HTTP behaviour: timeouts tied to cancellation, bounded bodies, and which answers are worth retrying. */
import { abortReason, StepError } from '../executor';

export interface HttpCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Performs the call; network errors and timeouts become retryable StepErrors, cancellation stays cancellation. */
export async function httpCall(call: HttpCall, signal: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  try {
    return await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      redirect: 'follow',
      signal: AbortSignal.any([signal, timeout]),
    });
  } catch (err) {
    if (signal.aborted) throw abortReason(signal);
    if (timeout.aborted) {
      throw new StepError(`${call.method} ${safeUrl(call.url)} timed out after ${call.timeoutMs}ms`, { type: 'HttpTimeout' });
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new StepError(`${call.method} ${safeUrl(call.url)} failed: ${reason}`, { type: 'HttpNetworkError', cause: err });
  }
}

/** 5xx, 408 and 429 are worth another attempt; other 4xx answers will not change by retrying. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export function statusError(method: string, url: string, response: Response, bodyText: string, details?: unknown): StepError {
  const snippet = bodyText.trim().slice(0, 300);
  const message = `${method} ${safeUrl(url)} answered ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''}`;
  return new StepError(message, {
    type: `Http${response.status}`,
    nonRetryable: !isRetryableStatus(response.status),
    details,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  });
}

/** Retry-After as milliseconds (seconds or an HTTP date), bounded to an hour. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 3_600_000) : undefined;
}

/** The body as text, read up to `maxBytes`. */
export async function readText(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > maxBytes) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return { text: truncated ? text.slice(0, maxBytes) : text, truncated };
}

/** The URL without credentials or query string, for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
