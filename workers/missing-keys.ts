/**
 * A worker that receives a review encrypted with a key it does not have cannot run it: decoding the workflow
 * task fails with a MissingEncryptionKeyError, the task fails with that reason (readable in the Web UI) and
 * Temporal retries it, so a worker that has the key can pick the review up. This wrapper logs that once per
 * review and key, clearly, instead of leaving only the SDK's repeated "Failed to process Workflow Activation".
 */
import type { DataConverter, Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import type { Logger } from 'pino';
import { MissingEncryptionKeyError, PlaintextCodec } from '../src/codec';

/** Bounds the memory of reviews already reported; past it, the memory starts over (a review may be reported again). */
const MAX_REMEMBERED = 10_000;

export interface MissingKeyReport {
  reviewId?: string;
  activityId?: string;
  keyId: string;
  knownKeyIds: readonly string[];
}

export class MissingKeyReporter {
  private readonly reported = new Set<string>();

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  report(error: MissingEncryptionKeyError, context: SerializationContext | undefined): void {
    const reviewId = context?.workflowId;
    const seen = `${reviewId ?? ''}\u0000${error.keyId}`;
    if (this.reported.has(seen)) return;
    if (this.reported.size >= MAX_REMEMBERED) this.reported.clear();
    this.reported.add(seen);
    const report: MissingKeyReport = {
      ...(reviewId !== undefined ? { reviewId } : {}),
      ...(context?.type === 'activity' && context.activityId ? { activityId: context.activityId } : {}),
      keyId: error.keyId,
      knownKeyIds: error.knownKeyIds,
    };
    const have = error.knownKeyIds.length === 0 ? 'no keys (REVIEW_ENCRYPTION_KEYS is not set)' : `keys ${error.knownKeyIds.join(', ')}`;
    this.logger.error(
      { ...report, encryptionKeyMissing: true },
      `review ${reviewId ?? '(unknown)'} is encrypted with key "${error.keyId}", which this worker does not have (it has ${have}): ` +
        `add key "${error.keyId}" to REVIEW_ENCRYPTION_KEYS (or the REVIEW_ENCRYPTION_KEYS_FILE key file) of this worker. ` +
        'Until then its tasks fail here and Temporal retries them; a worker with the key can run the review.',
    );
  }

  /** `codec` whose decode failures for a missing key are reported (then rethrown). */
  wrap(codec: PayloadCodec): PayloadCodec {
    return {
      encode: (payloads: Payload[], context?: SerializationContext) => codec.encode(payloads, context),
      decode: async (payloads: Payload[], context?: SerializationContext) => {
        try {
          return await codec.decode(payloads, context);
        } catch (error) {
          if (error instanceof MissingEncryptionKeyError) this.report(error, context);
          throw error;
        }
      },
    };
  }

  /** The worker's data converter with its codecs reporting missing keys; without codecs, the PlaintextCodec that names the key. */
  dataConverter(base: DataConverter): DataConverter {
    const codecs = base.payloadCodecs && base.payloadCodecs.length > 0 ? base.payloadCodecs : [new PlaintextCodec()];
    return { ...base, payloadCodecs: codecs.map((codec) => this.wrap(codec)) };
  }
}
