/**
 * Resolving `${{ secrets.NAME }}` on the worker. The workflow hands the activity placeholders; here they
 * become values just before the executor runs, and the values join the step's scrub list so they are
 * cut out of its output, errors, heartbeats and logs. Resolvers are pluggable (a vault client, say);
 * the default reads REVIEW_SECRET_<NAME> from the worker's environment, then a secrets file.
 */
import { readFileSync, statSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { placeholdersIn, replacePlaceholders } from '../src/definition/secrets';

export interface SecretResolver {
  /** The value of `name` (as written in the pipeline; names are case-insensitive), or undefined. */
  resolve(name: string): string | undefined | Promise<string | undefined>;
  /** Where this resolver looks, for the error when a secret is missing. */
  describe(): string;
  /**
   * Every value this resolver could give. They are cut out of every step's output, errors and logs, not only of
   * the steps that read them: code a step runs (a pull request's tests) may find them on the worker by other means.
   */
  knownValues?(): string[] | Promise<string[]>;
}

export const SECRET_ENV_PREFIX = 'REVIEW_SECRET_';

/** `REVIEW_SECRET_<NAME>` (upper-cased) from `env`: only that prefix, so a pipeline cannot read the rest of the worker's environment. */
export function envSecretResolver(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  let known: string[] | undefined;
  return {
    resolve: (name) => env[`${SECRET_ENV_PREFIX}${name.toUpperCase()}`],
    describe: () => `${SECRET_ENV_PREFIX}<NAME> in the worker's environment`,
    // Read once: a worker's environment does not change while it runs (and reading it costs every step).
    knownValues: () => (known ??= Object.entries(env).flatMap(([key, value]) => (key.startsWith(SECRET_ENV_PREFIX) && value ? [value] : []))),
  };
}

/** Parses a secrets file: a JSON object of strings, or `NAME=value` lines (`#` comments, optional quotes). */
export function parseSecretsFile(text: string, path: string): Map<string, string> {
  const out = new Map<string, string>();
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      // The parser's message quotes the text around the mistake, which holds secrets.
      throw new Error(`secrets file ${path} is not valid JSON (its text is not repeated here, as it holds secrets): check it with a JSON validator; common slips are single quotes and a trailing comma`);
    }
    for (const [name, value] of Object.entries(data as Record<string, unknown>)) {
      if (typeof value !== 'string') throw new Error(`secrets file ${path}: ${name} must be a string`);
      out.set(name.toUpperCase(), value);
    }
    return out;
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const body = line.trim();
    if (body === '' || body.startsWith('#')) return;
    const eq = body.indexOf('=');
    if (eq <= 0) throw new Error(`secrets file ${path}:${i + 1}: write NAME=value`);
    let value = body.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out.set(body.slice(0, eq).trim().toUpperCase(), value);
  });
  return out;
}

/** A secrets file, read again whenever it changes (rotate a secret without restarting the worker). */
export function fileSecretResolver(path: string): SecretResolver {
  let cached: { mtimeMs: number; values: Map<string, string> } | undefined;
  const current = (): Map<string, string> => {
    const { mtimeMs } = statSync(path);
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, values: parseSecretsFile(readFileSync(path, 'utf8'), path) };
    return cached.values;
  };
  return {
    resolve: (name) => current().get(name.toUpperCase()),
    describe: () => `the secrets file ${path}`,
    knownValues: () => {
      try {
        return [...current().values()];
      } catch {
        return []; // unreadable: the steps that read a secret say so
      }
    },
  };
}

/** The first resolver that knows the name wins. */
export function chainSecretResolvers(...resolvers: SecretResolver[]): SecretResolver {
  return {
    resolve: async (name) => {
      for (const resolver of resolvers) {
        const value = await resolver.resolve(name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    describe: () => resolvers.map((r) => r.describe()).join(', then '),
    knownValues: async () => (await Promise.all(resolvers.map(async (r) => (await r.knownValues?.()) ?? []))).flat(),
  };
}

/** The default: the environment, then REVIEW_SECRETS_FILE when set. */
export function defaultSecretResolver(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  const file = env.REVIEW_SECRETS_FILE;
  return file ? chainSecretResolvers(envSecretResolver(env), fileSecretResolver(file)) : envSecretResolver(env);
}

function collectNames(value: unknown, names: Set<string>, depth = 0): void {
  if (depth > 50) return;
  if (typeof value === 'string') {
    for (const name of placeholdersIn(value)) names.add(name);
  } else if (Array.isArray(value)) {
    for (const item of value) collectNames(item, names, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectNames(item, names, depth + 1);
  }
}

function replaceIn(value: unknown, valueOf: (name: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return replacePlaceholders(value, valueOf);
  if (depth > 50 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => replaceIn(item, valueOf, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIn(v, valueOf, depth + 1)]));
}

/**
 * `input` with every secret placeholder replaced by its value, and the values (to scrub). A secret the
 * resolver does not know fails the step without retries: retrying cannot make it appear.
 */
export async function resolveSecrets(input: Record<string, unknown>, resolver: SecretResolver, stepId: string): Promise<{ value: Record<string, unknown>; values: string[] }> {
  const names = new Set<string>();
  collectNames(input, names);
  if (names.size === 0) return { value: input, values: [] };
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const name of names) {
    const value = await resolver.resolve(name);
    if (value === undefined || value === '') missing.push(name);
    else values.set(name, value);
  }
  if (missing.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `step "${stepId}" reads ${missing.map((n) => `secrets.${n}`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set on this worker; looked in ${resolver.describe()}`,
      'MissingSecret',
    );
  }
  return { value: replaceIn(input, (name) => values.get(name) ?? '') as Record<string, unknown>, values: [...new Set(values.values())] };
}
