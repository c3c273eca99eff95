/** Encrypted payloads: the AES-256-GCM codec, its keys from the environment, and the codec server. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { ENCODED_FAILURES_MARKER } from './failure-converter';
import { loadKeyRing, type EncryptionEnv } from './keys';
import { PlaintextCodec } from './missing-key';

export { AesGcmCodec, DecryptionError, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm-codec';
export { EncryptionConfigError, generateKey, loadKeyRing, KEY_BYTES, type EncryptionEnv, type KeyRing } from './keys';
export { encryptedKeyIdOf, MissingEncryptionKeyError, missingKeyIn, PlaintextCodec } from './missing-key';
export { createCodecServer, type CodecServer, type CodecServerOptions } from './server';

/** The codec for the configured keys, or undefined when REVIEW_ENCRYPTION_KEYS(_FILE) is not set. Throws on bad settings. */
export function loadCodecFromEnv(env: EncryptionEnv = process.env): AesGcmCodec | undefined {
  const ring = loadKeyRing(env);
  return ring ? new AesGcmCodec(ring) : undefined;
}

/**
 * Module path of the failure converter that encodes error messages and stack traces. Use it only together with
 * the encrypting codec, and in `bundleWorkflowCode` too (bundleReviewWorkflows does), or failures raised by workflow
 * code stay plaintext. Without encryption leave it out: the Web UI would show "Encoded failure" instead of the reason.
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

/**
 * The data converter of a worker: the encrypting one when keys are configured; otherwise plaintext payloads and
 * failures, with a codec that refuses an encrypted payload with a MissingEncryptionKeyError naming its key id
 * (instead of the payload converter's "Unknown encoding: binary/encrypted").
 */
export function workerDataConverterFromEnv(env: EncryptionEnv = process.env): DataConverter {
  return dataConverterFromEnv(env) ?? { payloadCodecs: [new PlaintextCodec()] };
}

/** Whether this data converter encodes failure messages (and so the workflow bundle must carry the same converter). */
export function encodesFailures(dataConverter: DataConverter | undefined): boolean {
  return dataConverter?.failureConverterPath === ENCRYPTED_FAILURE_CONVERTER_PATH;
}

/** Whether a built workflow bundle's code carries the failure converter that encodes messages. */
export function bundleEncodesFailures(code: string): boolean {
  return code.includes(ENCODED_FAILURES_MARKER);
}
