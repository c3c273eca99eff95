/**
 * Failure converter that moves error messages and stack traces into an encoded payload, so the payload
 * codec encrypts them too. Loaded by path (`failureConverterPath`): by the client and the activity side
 * through the data converter, and inside the workflow sandbox through `bundleWorkflowCode`.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
