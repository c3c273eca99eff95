/** Encrypted payloads: the AES-256-GCM codec, its keys from the environment, and the codec server. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { loadKeyRing, type EncryptionEnv } from './keys';

export { AesGcmCodec, DecryptionError, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm-codec';
export { EncryptionConfigError, generateKey, loadKeyRing, KEY_BYTES, type EncryptionEnv, type KeyRing } from './keys';
export { createCodecServer, type CodecServer, type CodecServerOptions } from './server';

/** The codec for the configured keys, or undefined when REVIEW_ENCRYPTION_KEYS(_FILE) is not set. Throws on bad settings. */
export function loadCodecFromEnv(env: EncryptionEnv = process.env): AesGcmCodec | undefined {
  const ring = loadKeyRing(env);
  return ring ? new AesGcmCodec(ring) : undefined;
}

/**
 * Module path of the failure converter that encodes error messages and stack traces. Pass it as
 * `failureConverterPath` to `bundleWorkflowCode` too, or failures raised by workflow code stay plaintext.
 */
export const ENCRYPTED_FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * `{ payloadCodecs: [codec], failureConverterPath }` for Worker.create, the Client and the CLI, or undefined when
 * encryption is not configured.
 */
export function dataConverterFromEnv(env: EncryptionEnv = process.env): DataConverter | undefined {
  const codec = loadCodecFromEnv(env);
  return codec ? { payloadCodecs: [codec], failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH } : undefined;
}
