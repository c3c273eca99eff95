import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Runtime } from '@temporalio/worker';
import type { PipelineInput } from '../../src/definition/schema';
import { ReviewEncryptedError } from '../../src/client';
import type { ReviewClient } from '../../src/client/review-client';
import { review } from '../cli/run-cli';
import { uniqueTaskQueue } from '../helpers/environments';
import { waitFor } from '../helpers/wait';
import { KEY_1, KEY_2, NO_KEYS, rawClient, reviewClient, startWorkers, type RunningWorkers } from './production-workers';

/** One review encrypted with k1 and one plain, in the same namespace, both waiting at a gate. */
const pipelineName = `mixed-${randomUUID().slice(0, 8)}`;
const pipeline: PipelineInput = {
  name: pipelineName,
  steps: [
    { id: 'read', uses: 'echo', with: { article: '${{ input.article }}' } },
    { id: 'editor', needs: ['read'], gate: { approvers: ['ed'] } },
  ],
};

const encryptedPrefix = uniqueTaskQueue('mixed-enc');
const plainPrefix = uniqueTaskQueue('mixed-plain');
let workers: RunningWorkers[] = [];
let keyed: ReviewClient;
let plain: ReviewClient;
let encryptedId: string;
let plainId: string;

beforeAll(async () => {
  workers = await Promise.all([startWorkers(encryptedPrefix, KEY_1), startWorkers(plainPrefix, NO_KEYS)]);
  keyed = await reviewClient(KEY_1, encryptedPrefix);
  plain = await reviewClient(NO_KEYS, plainPrefix);
  encryptedId = (await keyed.startReview(pipeline, { article: 'secret draft' }, { id: `${encryptedPrefix}-enc` })).reviewId;
  plainId = (await plain.startReview(pipeline, { article: 'public draft' }, { id: `${plainPrefix}-plain` })).reviewId;
  for (const [client, id] of [[keyed, encryptedId], [plain, plainId]] as const) {
    await waitFor(async () => ((await client.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 60_000);
  }
  await waitFor(async () => ((await plain.list({ pipeline: pipelineName })).length === 2 ? true : undefined), 30_000);
}, 180_000);

afterAll(async () => {
  await keyed?.close();
  await plain?.close();
  await Promise.all(workers.map((w) => w.stop()));
});

describe('a namespace with encrypted and plain reviews', () => {
  it('a client without keys lists both, the encrypted one marked with the key id it needs', async () => {
    const listed = await plain.list({ pipeline: pipelineName });
    const byId = new Map(listed.map((r) => [r.reviewId, r]));
    expect(byId.get(encryptedId)).toMatchObject({ reviewId: encryptedId, pipeline: pipelineName, state: 'awaiting_approval', encrypted: true, keyId: 'k1', keyMissing: true });
    expect(byId.get(plainId)).toMatchObject({ reviewId: plainId, pipeline: pipelineName, state: 'awaiting_approval' });
    expect(byId.get(plainId)?.encrypted).toBeUndefined();
    expect(byId.get(plainId)?.keyMissing).toBeUndefined();
  });

  it('a client with the key lists the encrypted review as encrypted but readable', async () => {
    const listed = await keyed.list({ pipeline: pipelineName });
    expect(listed.find((r) => r.reviewId === encryptedId)).toMatchObject({ encrypted: true, keyId: 'k1' });
    expect(listed.find((r) => r.reviewId === encryptedId)?.keyMissing).toBeUndefined();
  });

  it('status of the encrypted review names the key id and REVIEW_ENCRYPTION_KEYS instead of the codec error; the plain one reads', async () => {
    const error = await plain.getStatus(encryptedId).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ReviewEncryptedError);
    expect(error).toMatchObject({ code: 'encrypted', keyId: 'k1', reviewId: encryptedId });
    expect((error as Error).message).toMatch(/encrypted with key "k1", which this client does not have: set REVIEW_ENCRYPTION_KEYS/);
    expect((error as Error).message).not.toMatch(/Unknown encoding/);
    await expect(plain.describe(encryptedId)).rejects.toThrow(ReviewEncryptedError);
    expect((await plain.getStatus(plainId)).state).toBe('awaiting_approval');
  });

  it('a client with another key gets the same clear error', async () => {
    const other = await reviewClient(KEY_2, encryptedPrefix);
    try {
      await expect(other.getStatus(encryptedId)).rejects.toMatchObject({ code: 'encrypted', keyId: 'k1' });
      const listed = await other.list({ pipeline: pipelineName });
      expect(listed.find((r) => r.reviewId === encryptedId)).toMatchObject({ encrypted: true, keyId: 'k1', keyMissing: true });
    } finally {
      await other.close();
    }
  });

  it('the review CLI without keys: list shows both and says which key is missing; status names the key', async () => {
    const listRun = await review(['list', '--pipeline', pipelineName]);
    expect(listRun.code).toBe(0);
    expect(listRun.stdout).toContain(plainId);
    expect(listRun.stdout).toMatch(new RegExp(`${encryptedId}.*\\[encrypted: key "k1" missing\\]`));
    expect(listRun.stdout).toMatch(/encrypted with key\(s\) "k1" this client does not have: set REVIEW_ENCRYPTION_KEYS/);
    const statusRun = await review(['status', encryptedId]);
    expect(statusRun.code).toBe(1);
    expect(statusRun.stderr).toMatch(/encrypted with key "k1", which this client does not have: set REVIEW_ENCRYPTION_KEYS/);
    expect(statusRun.stderr).not.toMatch(/Unknown encoding/);
  }, 60_000);
});

/** Keeps the SDK's "Failed to process Workflow Activation" lines for a missing key out of the test output, collecting them. */
function quietSdkLog(lines: string[]): () => void {
  const logger = Runtime.instance().logger;
  const original = logger.log.bind(logger);
  logger.log = (level, message, meta) => {
    if (String((meta as { error?: unknown } | undefined)?.error).includes('MissingEncryptionKeyError')) lines.push(message);
    else original(level, message, meta);
  };
  return () => {
    logger.log = original;
  };
}

describe('a worker without the key', () => {
  it('logs once per review, fails the workflow task with a readable reason, keeps retrying; a worker with the key runs the review', async () => {
    const prefix = uniqueTaskQueue('keyless');
    const sdkLines: string[] = [];
    const restore = quietSdkLog(sdkLines);
    const keyless = await startWorkers(prefix, NO_KEYS);
    const client = await reviewClient(KEY_1, prefix);
    const raw = await rawClient();
    let keyedWorkers: RunningWorkers | undefined;
    try {
      const { reviewId } = await client.startReview({ name: 'keyless', steps: [{ id: 'read', uses: 'echo', with: { article: 'draft' } }] }, {});
      // The first attempt fails at once, the second right after; later ones each after the workflow task timeout (10 s).
      await waitFor(async () => {
        const described = await raw.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: reviewId } });
        return (described.pendingWorkflowTask?.attempt ?? 0) >= 3 ? true : undefined;
      }, 60_000, 500);
      const reports = keyless.logs.filter((l) => l.encryptionKeyMissing === true);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ reviewId, keyId: 'k1', level: 50 });
      expect(String(reports[0]?.msg)).toMatch(/encrypted with key "k1", which this worker does not have .*add key "k1" to REVIEW_ENCRYPTION_KEYS/);

      const history = await raw.client.workflow.getHandle(reviewId).fetchHistory();
      const taskFailure = history.events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
      expect(taskFailure?.message).toMatch(/encrypted with key "k1", which is not configured \(encryption is not configured here\); add key "k1" to REVIEW_ENCRYPTION_KEYS/);
      const described = await raw.client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: reviewId } });
      expect(described.workflowExecutionInfo?.status).toBe(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      // The SDK itself logs every failed attempt; ours is the one line that says what to do.
      expect(sdkLines.length).toBeGreaterThanOrEqual(2);

      await keyless.stop();
      keyedWorkers = await startWorkers(prefix, KEY_1);
      const result = await client.result(reviewId);
      expect(result.state).toBe('completed');
    } finally {
      await keyedWorkers?.stop();
      await raw.close();
      await client.close();
      restore();
    }
  }, 120_000);
});
