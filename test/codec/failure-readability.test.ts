import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import pino from 'pino';
import { NativeConnection } from '@temporalio/worker';
import { defineExecutor, StepError } from '../../activities';
import { bundleEncodesFailures, workerDataConverterFromEnv } from '../../src/codec';
import { loadWorkerConfig, WorkerConfigError } from '../../workers/config';
import { createReviewWorkers } from '../../workers/review-workers';
import { devServerAddress, uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { historyText } from './encrypted-workers';
import { KEY_1, NO_KEYS, rawClient, reviewBundle, reviewClient, startWorkers } from './production-workers';

/** A step that fails quoting its input, as real executors do (a command's stderr, an HTTP body). */
const publish = defineExecutor({
  type: 'publish-fails',
  description: 'fails with the article in its message',
  input: z.object({ article: z.string() }),
  async run(input) {
    throw StepError.nonRetryable(`cannot publish ${input.article}`, 'PublishFailed');
  },
});

/** One failing review through production workers and client with the given keys; its raw history. */
async function failingReview(keys: Record<string, string>) {
  const marker = `article-${randomUUID()}`;
  const prefix = uniqueTaskQueue('fail-read');
  const workers = await startWorkers(prefix, keys, [publish]);
  const client = await reviewClient(keys, prefix);
  const raw = await rawClient();
  try {
    const { reviewId } = await client.startReview(
      { name: 'failing', steps: [{ id: 'publish', uses: 'publish-fails', with: { article: '${{ input.article }}' } }] },
      { article: marker },
    );
    const result = await client.result(reviewId);
    const history = await raw.client.workflow.getHandle(reviewId).fetchHistory();
    const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes?.failure;
    const activityFailed = history.events?.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    return { marker, result, failed, activityFailed, text: historyText(history) };
  } finally {
    await raw.close();
    await client.close();
    await workers.stop();
  }
}

describe('failure messages where people look', () => {
  it('without encryption, the failed review shows its reason in the raw history (the Web UI, temporal workflow show)', async () => {
    const { marker, result, failed, activityFailed } = await failingReview(NO_KEYS);
    expect(result.state).toBe('failed');
    expect(failed?.message).not.toBe('Encoded failure');
    expect(failed?.message).toContain(marker);
    expect(failed?.encodedAttributes).toBeFalsy();
    expect(activityFailed?.message).toContain(marker);
  }, 120_000);

  it('with encryption, the reason is encoded and encrypted, and the client with the key reads it', async () => {
    const { marker, result, failed, activityFailed, text } = await failingReview(KEY_1);
    expect(result.state).toBe('failed');
    expect(result.lastError ?? JSON.stringify(result)).toContain(marker);
    expect(failed?.message).toBe('Encoded failure');
    expect(activityFailed?.message).toBe('Encoded failure');
    expect(text).toContain('binary/encrypted');
    expect(text.includes(marker)).toBe(false);
  }, 120_000);

  it('bundleReviewWorkflows carries the encoding failure converter only when asked (default: when keys are set)', async () => {
    expect(bundleEncodesFailures((await reviewBundle(true)).code)).toBe(true);
    expect(bundleEncodesFailures((await reviewBundle(false)).code)).toBe(false);
  }, 120_000);

  it('workers refuse a prebuilt bundle that would store workflow failure messages in plaintext while encryption is on', async () => {
    const connection = await NativeConnection.connect({ address: devServerAddress() });
    try {
      const creating = createReviewWorkers({
        connection,
        config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: uniqueTaskQueue('bundle-check') }),
        logger: pino({ level: 'silent' }),
        dataConverter: workerDataConverterFromEnv(KEY_1),
        workflowBundle: workflowBundle(),
      });
      await expect(creating).rejects.toThrow(WorkerConfigError);
      await expect(creating).rejects.toThrow(/built without the encrypting failure converter/);
    } finally {
      await connection.close();
    }
  });
});
