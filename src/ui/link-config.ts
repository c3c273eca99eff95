/**
 * What signing approval links needs, read from the environment by the review page and by workers alike:
 *   REVIEW_UI_KEY or REVIEW_UI_KEY_FILE  the HMAC key (at least 32 bytes), the same on every signer;
 *   REVIEW_UI_BASE_URL                   where the review page is reached, e.g. https://reviews.example.com;
 *   REVIEW_UI_LINK_MAX_AGE               how long a link to a gate without a deadline lives (default 7d).
 */
import { readFileSync } from 'node:fs';
import { tryParseDuration } from '../definition/duration';
import { checkKey } from './approval-links';

export const DEFAULT_LINK_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface LinkSigning {
  key: Buffer;
  baseUrl: string;
  maxAgeMs: number;
}

/** The key from REVIEW_UI_KEY or the file REVIEW_UI_KEY_FILE names, or undefined when neither is set. */
export function linkKeyFromEnv(env: Record<string, string | undefined>): Buffer | undefined {
  const inline = env.REVIEW_UI_KEY;
  const file = env.REVIEW_UI_KEY_FILE?.trim();
  if (inline !== undefined && inline !== '' && file) throw new Error('set either REVIEW_UI_KEY or REVIEW_UI_KEY_FILE, not both');
  if (inline !== undefined && inline !== '') return checkKey(inline, 'REVIEW_UI_KEY');
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read REVIEW_UI_KEY_FILE ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  return checkKey(text.trim(), `REVIEW_UI_KEY_FILE ${file}`);
}

/** A base URL with no trailing slash, or an error saying what to write (`expected`: where it leads, with an example). */
export function checkBaseUrl(value: string, name = 'REVIEW_UI_BASE_URL', expected = 'where the review page is reached, e.g. https://reviews.example.com'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} '${value}' is not a URL; write ${expected}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} '${value}' must be an http or https URL; write ${expected}`);
  return url.toString().replace(/\/+$/, '');
}

export function linkMaxAgeFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.REVIEW_UI_LINK_MAX_AGE?.trim();
  if (!raw) return DEFAULT_LINK_MAX_AGE_MS;
  const ms = tryParseDuration(raw);
  if (ms === undefined || ms < 60_000) throw new Error(`REVIEW_UI_LINK_MAX_AGE '${raw}' is not a duration of at least 1m; write it like 12h or 7d`);
  return ms;
}

/** Everything to sign links with, or undefined when the key or the base URL is not configured (links are left out). */
export function linkSigningFromEnv(env: Record<string, string | undefined> = process.env): LinkSigning | undefined {
  const key = linkKeyFromEnv(env);
  const base = env.REVIEW_UI_BASE_URL?.trim();
  if (!key || !base) return undefined;
  return { key, baseUrl: checkBaseUrl(base), maxAgeMs: linkMaxAgeFromEnv(env) };
}

/** A link's expiry: the gate's deadline, or `maxAgeMs` from now for a gate without one. */
export function linkExpiry(deadlineAt: string | undefined, now: number, maxAgeMs: number): number {
  const deadline = deadlineAt ? Date.parse(deadlineAt) : Number.NaN;
  return Number.isFinite(deadline) ? deadline : now + maxAgeMs;
}
