/** Keeps secret values out of logs and outputs by replacing every occurrence with a marker. */
import type { Logger } from 'pino';
import { CREDENTIAL_KEY } from '../../src/definition/credentials';

export const REDACTED = '[redacted]';
/** Shorter values would blank out ordinary words; secrets are never this short in practice. */
const MIN_SECRET_LENGTH = 3;

/** Every string (and number) found under the secret keys of `with`, longest first. */
export function secretValues(input: Record<string, unknown>, keys: readonly string[] = []): string[] {
  const found = new Set<string>();
  const collect = (value: unknown, depth: number): void => {
    if (depth > 20 || value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SECRET_LENGTH) found.add(text);
    } else if (Array.isArray(value)) {
      for (const item of value) collect(item, depth + 1);
    } else if (typeof value === 'object') {
      for (const item of Object.values(value)) collect(item, depth + 1);
    }
  };
  for (const key of keys) collect(input[key], 0);
  collectCredentials(input, 0, (value) => collect(value, 0));
  for (const text of [...found]) {
    const scheme = /^(bearer|basic|token)\s+(\S{3,})$/i.exec(text);
    if (scheme?.[2]) found.add(scheme[2]);
  }
  return [...found].sort((a, b) => b.length - a.length);
}


function collectCredentials(value: unknown, depth: number, found: (value: unknown) => void): void {
  if (depth > 20 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectCredentials(item, depth + 1, found);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (CREDENTIAL_KEY.test(key)) found(item);
    else collectCredentials(item, depth + 1, found);
  }
}

/** Shorter values known to the worker but not read by the step are left alone: they would blank out ordinary words. */
const MIN_KNOWN_SECRET_LENGTH = 8;
/** Lines of a multi-line secret (a PEM key's body) are scrubbed on their own from this length. */
const MIN_SECRET_LINE_LENGTH = 16;

/**
 * The forms in which the worker's secrets could show up in what a step prints: as they are, escaped inside
 * JSON (a secrets file printed whole), and line by line for multi-line values (part of a private key).
 */
export function knownSecretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_KNOWN_SECRET_LENGTH) continue;
    forms.add(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) forms.add(escaped);
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_SECRET_LINE_LENGTH) forms.add(line.trim());
  }
  return [...forms];
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A copy of `value` with every secret replaced in strings and keys; errors become plain objects. */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return scrub(value, secrets, 0) as T;
}

function scrub(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 50) return value;
  if (value instanceof Error) {
    const err: Record<string, unknown> = { type: value.name, message: scrubText(value.message, secrets) };
    if (value.stack) err.stack = scrubText(value.stack, secrets);
    return err;
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubText(key, secrets)] = scrub(item, secrets, depth + 1);
  return out;
}

/** `with` for logging: values of the secret keys replaced by the marker. */
export function redactKeys(input: Record<string, unknown>, keys: readonly string[] = []): Record<string, unknown> {
  if (keys.length === 0) return input;
  const out: Record<string, unknown> = { ...input };
  for (const key of keys) if (key in out) out[key] = REDACTED;
  return out;
}

const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** A view of `logger` that scrubs secret values from every argument, and from its children's. */
export function scrubbingLogger(logger: Logger, secrets: readonly string[]): Logger {
  if (secrets.length === 0) return logger;
  return new Proxy(logger, {
    get(target, property, receiver) {
      const original: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof original !== 'function') return original;
      if (LOG_METHODS.has(property)) {
        return (...args: unknown[]) =>
          (original as (...a: unknown[]) => void).apply(
            target,
            args.map((arg) => scrub(arg, secrets, 0)),
          );
      }
      if (property === 'child') {
        return (bindings: Record<string, unknown>, options?: unknown) =>
          scrubbingLogger(
            (original as (b: unknown, o?: unknown) => Logger).call(target, scrub(bindings, secrets, 0), options),
            secrets,
          );
      }
      return original;
    },
  });
}
