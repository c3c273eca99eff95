/**
 * Refuses a state-changing request another site's page made the browser send: its Origin (or, without
 * one, Fetch Metadata's Sec-Fetch-Site) must say it came from the review page itself.
 */
import type { IncomingMessage } from 'node:http';

/** Why the request is not same-origin, or undefined when it is (or comes from no browser at all). */
export function crossOriginRefusal(req: IncomingMessage, ownOrigins: readonly string[]): string | undefined {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '') {
    if (ownOrigins.includes(origin)) return undefined;
    const allowed = ownOrigins.length > 0 ? `only pages at ${ownOrigins.join(' or ')} may` : 'only the review page itself may';
    return `a request from ${origin} may not change anything here (${allowed}); open the review page there, or, if people open it at ${origin}, set REVIEW_UI_BASE_URL (or review ui --base-url) to that address`;
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `a ${site} request may not change anything here; open the review page itself`;
  return undefined;
}

/** The origins the page is reached at: the configured base URL's, and the Host the request names. */
export function ownOrigins(req: IncomingMessage, baseUrl: string | undefined): string[] {
  const out: string[] = [];
  if (baseUrl) out.push(new URL(baseUrl).origin);
  const host = req.headers.host;
  if (typeof host === 'string' && host !== '' && !baseUrl) out.push(`http://${host}`, `https://${host}`);
  return out;
}
