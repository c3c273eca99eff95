import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { dataConverterFromEnv, generateKey } from '../../src/codec';
import { PipelineSchema } from '../../src/definition/schema';
import type { StepRequest, StepResponse } from '../../activities/types';
import type { reviewWorkflow } from '../../workflows/review';
import { uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { encryptedDevEnv, encryptedWorkflowBundle, historyText, withEncryptedWorkers } from './encrypted-workers';

/** A step that fails quoting its input, as real executors do (a command's stderr, an HTTP body). */
const quotingActivities = {
  async runStep(request: StepRequest): Promise<StepResponse> {
    throw ApplicationFailure.nonRetryable(`cannot publish ${String(request.with.article)}`, 'PublishFailed');
  },
};

async function failingReview(bundle: Parameters<typeof withEncryptedWorkers>[4]) {
  const marker = `article-${randomUUID()}`;
  const dataConverter = dataConverterFromEnv({ REVIEW_ENCRYPTION_KEYS: `k1:${generateKey()}` });
  const env = await encryptedDevEnv(dataConverter);
  const prefix = uniqueTaskQueue('codec-fail');
  try {
    return await withEncryptedWorkers(
      prefix,
      quotingActivities,
      dataConverter,
      async () => {
        const handle = await env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
          taskQueue: `${prefix}-normal`,
          workflowId: `${prefix}-1`,
          args: [
            {
              definition: PipelineSchema.parse({ name: 'failing', steps: [{ id: 'publish', uses: 'echo', with: { article: '${{ input.article }}' } }] }),
              input: { article: marker },
              options: { taskQueuePrefix: prefix },
            },
          ],
        });
        const error = await handle.result().then(
          () => undefined,
          (err: unknown) => err,
        );
        const history = await env.rawClient.workflow.getHandle(handle.workflowId).fetchHistory();
        return { marker, error, text: historyText(history) };
      },
      bundle,
    );
  } finally {
    await env.close();
  }
}

describe('encrypted failure messages', () => {
  it('keeps step error messages out of the raw history when the workflow bundle carries the failure converter', async () => {
    const { marker, error, text } = await failingReview(await encryptedWorkflowBundle());
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String((error as WorkflowFailedError).cause?.message)).toContain(marker);
    expect(text.includes(marker)).toBe(false);
  }, 120_000);

  it('with a bundle built without it, workflow-raised failures (ReviewFailed) leak the message', async () => {
    const { marker, text } = await failingReview(workflowBundle());
    expect(text.includes(marker)).toBe(true);
  });
});
