import { randomUUID } from 'node:crypto';
import { signBody } from '../../src/webhook/signature';

export interface Delivered {
  status: number;
  json: Record<string, unknown>;
  ms: number;
}

export type Encoding = 'json' | 'form';

/** The body GitHub sends for `document`: JSON, or `payload=<urlencoded JSON>` for form-encoded webhooks. */
export function encodeBody(document: unknown, encoding: Encoding = 'json'): Buffer {
  const json = typeof document === 'string' ? document : JSON.stringify(document);
  return Buffer.from(encoding === 'form' ? new URLSearchParams({ payload: json }).toString() : json);
}

/** Delivers a body signed with `secret` as GitHub does; a fixed `delivery` id makes it a redelivery. */
export async function deliver(
  url: string,
  secret: string,
  event: string,
  document: unknown,
  options: { encoding?: Encoding; delivery?: string; headers?: Record<string, string> } = {},
): Promise<Delivered> {
  const encoding = options.encoding ?? 'json';
  const body = encodeBody(document, encoding);
  const started = Date.now();
  const response = await fetch(`${url}/webhook`, {
    method: 'POST',
    body,
    headers: {
      'content-type': encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-hub-signature-256': signBody(secret, body),
      ...options.headers,
    },
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, ms: Date.now() - started };
}
