/**
 * Encryption keys from the environment or a JSON file, validated before anything is encrypted:
 *   REVIEW_ENCRYPTION_KEYS="id1:base64key,id2:base64key" with REVIEW_ENCRYPTION_KEY_ID=<active id>, or
 *   REVIEW_ENCRYPTION_KEYS_FILE=<path to { "active": "id", "keys": { "id": "base64key" } }>.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const KEY_BYTES = 32;

export interface KeyRing {
  activeId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export type EncryptionEnv = Record<string, string | undefined>;

export class EncryptionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionConfigError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const GENERATE_HINT = 'generate one with: openssl rand -base64 32';

export const KeyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a key id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const KeySchema = z
  .string()
  .trim()
  .refine((text) => text.length > 0 && BASE64.test(text), { message: `is not valid base64; ${GENERATE_HINT}` })
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((key) => key.length === KEY_BYTES, { message: `must decode to ${KEY_BYTES} bytes for AES-256; ${GENERATE_HINT}` });

export const KeyFileSchema = z
  .object({
    active: KeyIdSchema,
    keys: z.record(KeyIdSchema, KeySchema).refine((keys) => Object.keys(keys).length > 0, { message: 'lists no keys' }),
  })
  .strict();

/** A fresh random key, base64, for REVIEW_ENCRYPTION_KEYS or a key file. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** The configured key ring, or undefined when encryption is not configured; throws EncryptionConfigError on bad settings. */
export function loadKeyRing(env: EncryptionEnv = process.env): KeyRing | undefined {
  const list = env.REVIEW_ENCRYPTION_KEYS?.trim();
  const file = env.REVIEW_ENCRYPTION_KEYS_FILE?.trim();
  const activeOverride = env.REVIEW_ENCRYPTION_KEY_ID?.trim() || undefined;
  if (list && file) {
    throw new EncryptionConfigError('both REVIEW_ENCRYPTION_KEYS and REVIEW_ENCRYPTION_KEYS_FILE are set: keep one of them');
  }
  if (file) return fromFile(file, activeOverride);
  if (list) return fromList(list, activeOverride);
  if (activeOverride) {
    throw new EncryptionConfigError(
      'REVIEW_ENCRYPTION_KEY_ID is set but no keys are: set REVIEW_ENCRYPTION_KEYS="id:base64key" or REVIEW_ENCRYPTION_KEYS_FILE',
    );
  }
  return undefined;
}

function fromList(list: string, activeOverride: string | undefined): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      throw new EncryptionConfigError(`REVIEW_ENCRYPTION_KEYS entry ${index + 1} is not "id:base64key" (write e.g. "k1:${'A'.repeat(43)}=")`);
    }
    const id = parseOrThrow(KeyIdSchema, entry.slice(0, colon).trim(), `REVIEW_ENCRYPTION_KEYS entry ${index + 1}: key id`);
    if (keys.has(id)) throw new EncryptionConfigError(`REVIEW_ENCRYPTION_KEYS lists key id "${id}" twice: give every key its own id`);
    keys.set(id, parseOrThrow(KeySchema, entry.slice(colon + 1), `REVIEW_ENCRYPTION_KEYS key "${id}"`));
  });
  if (keys.size === 0) throw new EncryptionConfigError('REVIEW_ENCRYPTION_KEYS is empty: write "id:base64key[,id2:base64key]"');
  let activeId = activeOverride;
  if (activeId === undefined) {
    if (keys.size > 1) {
      throw new EncryptionConfigError(
        `REVIEW_ENCRYPTION_KEYS lists ${keys.size} keys (${[...keys.keys()].join(', ')}): set REVIEW_ENCRYPTION_KEY_ID to the one new data is encrypted with`,
      );
    }
    activeId = [...keys.keys()][0] as string;
  }
  return ring(activeId, keys, 'REVIEW_ENCRYPTION_KEY_ID');
}

function fromFile(path: string, activeOverride: string | undefined): KeyRing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new EncryptionConfigError(`REVIEW_ENCRYPTION_KEYS_FILE ${path}: cannot read it (${reason})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new EncryptionConfigError(`REVIEW_ENCRYPTION_KEYS_FILE ${path} is not JSON (${(error as Error).message}); write { "active": "id", "keys": { "id": "base64key" } }`);
  }
  const parsed = parseOrThrow(KeyFileSchema, data, `REVIEW_ENCRYPTION_KEYS_FILE ${path}`);
  return ring(activeOverride ?? parsed.active, new Map(Object.entries(parsed.keys)), activeOverride ? 'REVIEW_ENCRYPTION_KEY_ID' : `"active" in ${path}`);
}

function ring(activeId: string, keys: Map<string, Buffer>, source: string): KeyRing {
  if (!keys.has(activeId)) {
    throw new EncryptionConfigError(`${source} names key "${activeId}", which is not among the keys (${[...keys.keys()].join(', ')}): add it or pick one of those`);
  }
  return { activeId, keys };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? `${issue.path.map(String).join('.')} ` : ''}${issue.message}`)
    .join('; ');
  throw new EncryptionConfigError(`${where}: ${details}`);
}
