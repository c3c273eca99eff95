/**
 * Reviews a caller cannot decrypt: which key a review needs, whether this client's codecs can read it, and the
 * error that says so (naming the key id and REVIEW_ENCRYPTION_KEYS) instead of the payload converter's
 * "Unknown encoding: binary/encrypted".
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { encryptedKeyIdOf, missingKeyIn } from '../codec/missing-key';
import { ReviewError } from './errors';

/** The review is encrypted with a key this client does not have. */
export class ReviewEncryptedError extends ReviewError {
  constructor(
    reviewId: string,
    /** The key id the review needs; undefined when it could not be found out. */
    readonly keyId: string | undefined,
  ) {
    super(
      'encrypted',
      `review '${reviewId}' is encrypted with ${keyId ? `key "${keyId}"` : 'a key'}, which this client does not have: ` +
        `set REVIEW_ENCRYPTION_KEYS (or REVIEW_ENCRYPTION_KEYS_FILE) with ${keyId ? `key "${keyId}"` : 'its key'} to read it`,
      reviewId,
    );
  }
}

/** The key id of the first encrypted payload among `payloads` ('' for one without a key id), or undefined. */
export function encryptedKeyOf(payloads: Iterable<Payload | null | undefined>): string | undefined {
  for (const payload of payloads) {
    const keyId = encryptedKeyIdOf(payload);
    if (keyId !== undefined) return keyId;
  }
  return undefined;
}

/** Whether the client's codecs turn `payloads` into plaintext (false when a key is missing or a payload stays encrypted). */
export async function clientCanDecode(client: Client, payloads: Payload[]): Promise<boolean> {
  let decoded = payloads;
  try {
    for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  } catch {
    return false;
  }
  return encryptedKeyOf(decoded) === undefined;
}

/** The key id the review's memo or start input is encrypted with, as the server stores them (no decryption). */
export async function reviewKeyId(client: Client, reviewId: string): Promise<string | undefined> {
  const service = client.workflowService;
  const namespace = client.options.namespace;
  try {
    const described = await service.describeWorkflowExecution({ namespace, execution: { workflowId: reviewId } });
    const fromMemo = encryptedKeyOf(Object.values(described.workflowExecutionInfo?.memo?.fields ?? {}));
    if (fromMemo) return fromMemo;
    const history = await service.getWorkflowExecutionHistory({ namespace, execution: { workflowId: reviewId }, maximumPageSize: 1 });
    const started = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    return encryptedKeyOf(started?.input?.payloads ?? []) || undefined;
  } catch {
    return undefined;
  }
}

/** `error` as a ReviewEncryptedError when it comes from a payload this client cannot decrypt; else undefined. */
export async function encryptedError(client: Client, reviewId: string, error: unknown): Promise<ReviewEncryptedError | undefined> {
  if (error instanceof ReviewEncryptedError) return error;
  const missing = missingKeyIn(error);
  if (!missing) return undefined;
  return new ReviewEncryptedError(reviewId, missing.keyId ?? (await reviewKeyId(client, reviewId)));
}
