/**
 * Failure converter for encrypted deployments: it moves error messages and stack traces into an encoded
 * payload, so the payload codec encrypts them too. Use it only where payloads are encrypted: without a codec
 * the Web UI and `temporal workflow show` would show "Encoded failure" instead of the reason, and hide
 * nothing. Loaded by path (`failureConverterPath`): by the client and the activity side through the data
 * converter, and inside the workflow sandbox through `bundleWorkflowCode` (see bundleReviewWorkflows).
 *
 * One exception stays readable: a worker that lacks a key fails its workflow task with a
 * MissingEncryptionKeyError, which names only the key id; people must see that reason without the key.
 * No Node imports: this module runs inside the workflow sandbox too.
 */
import { DefaultFailureConverter, type FailureConverter, type PayloadConverter, type ProtoFailure, type SerializationContext } from '@temporalio/common';

/** Found in the code of a workflow bundle built with this converter (see bundleEncodesFailures). */
export const ENCODED_FAILURES_MARKER = 'review-orchestrator:encoded-failure-converter';

const encoding = new DefaultFailureConverter({ encodeCommonAttributes: true });
const plain = new DefaultFailureConverter();

function readableAnyway(err: unknown): boolean {
  return err instanceof Error && err.name === 'MissingEncryptionKeyError';
}

export const failureConverter: FailureConverter = {
  errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    return (readableAnyway(err) ? plain : encoding).errorToFailure(err, payloadConverter, context);
  },
  failureToError(failure: ProtoFailure, payloadConverter: PayloadConverter, context?: SerializationContext): Error {
    // Decoding reads encoded attributes whatever the options, so plaintext failures come back as they are.
    return encoding.failureToError(failure, payloadConverter, context);
  },
};
