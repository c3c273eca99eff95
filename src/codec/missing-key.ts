/**
 * Encrypted payloads a process cannot read: the error that names the key id it needs and where to configure
 * it, the codec a process without keys uses so it says so (instead of "Unknown encoding: binary/encrypted"),
 * and how to tell which key a payload needs without decrypting it.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** A payload is encrypted with a key this process does not have. */
export class MissingEncryptionKeyError extends DecryptionError {
  constructor(
    readonly keyId: string,
    /** The key ids this process has (none when encryption is not configured here). */
    readonly knownKeyIds: readonly string[],
  ) {
    super(missingKeyMessage(keyId, knownKeyIds));
    this.name = 'MissingEncryptionKeyError';
  }
}

export function missingKeyMessage(keyId: string, knownKeyIds: readonly string[]): string {
  const have = knownKeyIds.length === 0 ? 'encryption is not configured here' : `known: ${knownKeyIds.join(', ')}`;
  return (
    `payload is encrypted with key "${keyId}", which is not configured (${have}); ` +
    `add key "${keyId}" to REVIEW_ENCRYPTION_KEYS (or the REVIEW_ENCRYPTION_KEYS_FILE key file)`
  );
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}

/** The key id an encrypted payload needs ('' when it carries none), or undefined when the payload is not encrypted. */
export function encryptedKeyIdOf(payload: Payload | null | undefined): string | undefined {
  if (text(payload?.metadata?.encoding) !== ENCRYPTED_ENCODING) return undefined;
  return text(payload?.metadata?.[KEY_ID_METADATA]) ?? '';
}

/**
 * The codec of a process without encryption keys: payloads pass through unchanged, and an encrypted one is
 * refused with a MissingEncryptionKeyError naming its key id.
 */
export class PlaintextCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    for (const payload of payloads) {
      const keyId = encryptedKeyIdOf(payload);
      if (keyId !== undefined) throw new MissingEncryptionKeyError(keyId || '(none)', []);
    }
    return payloads;
  }
}

/** The MissingEncryptionKeyError in `error` or its causes, if any; also recognises the payload converter's "Unknown encoding: binary/encrypted". */
export function missingKeyIn(error: unknown): { keyId?: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current instanceof Error; depth++) {
    if (current instanceof MissingEncryptionKeyError || current.name === 'MissingEncryptionKeyError') {
      const keyId = (current as Partial<MissingEncryptionKeyError>).keyId;
      return { ...(keyId !== undefined ? { keyId } : {}), message: current.message };
    }
    if (current.message.includes(`Unknown encoding: ${ENCRYPTED_ENCODING}`)) return { message: current.message };
    const keyMatch = /payload is encrypted with key "([^"]*)", which is not configured/.exec(current.message);
    if (keyMatch) return { keyId: keyMatch[1] as string, message: current.message };
    current = current.cause;
  }
  return undefined;
}
