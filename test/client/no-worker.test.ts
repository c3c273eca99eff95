// With no worker on a review's task queue, decisions and retries are answered within the client's query timeout,
// saying they are not confirmed yet, instead of holding the call open until a worker comes.
import { connectReviewClient, type ReviewClient } from '../../src/client';
import { temporal } from '@temporalio/proto';
import { noWorkerAnswered, pinnedVersionOf, ReviewUnavailableError } from '../../src/client/review-client';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';

jest.setTimeout(60_000);

const prefix = uniqueTaskQueue('noworker');
let client: ReviewClient;
beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress(), directory: null, taskQueuePrefix: prefix, queryTimeoutMs: 1500 });
});
afterAll(async () => {
  await client.close();
});

test('approve, reject and retry say no worker answered, naming the task queue', async () => {
  const { reviewId } = await client.startReview({ name: 'no-worker', steps: [{ id: 'approval', gate: { approvers: ['alice'] } }] }, {}, { id: `${prefix}-r` });
  try {
    for (const call of [() => client.approve(reviewId, { by: 'alice' }), () => client.reject(reviewId, { by: 'alice' }), () => client.retry(reviewId)]) {
      const started = Date.now();
      const error = await call().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ReviewUnavailableError);
      expect(error).toMatchObject({ code: 'unavailable' });
      expect((error as Error).message).toMatch(new RegExp(`no worker answered within the timeout, so the (decision|retry) is not confirmed: .* task queue '${prefix}'`));
      expect(Date.now() - started).toBeLessThan(30_000);
    }
  } finally {
    await client.temporal.workflow.getHandle(reviewId).terminate('test done');
  }
});

test("the server's other ways of saying no worker answered count as such, wrapped or not", () => {
  const grpc = (code: number, message: string) => Object.assign(new Error(message), { code });
  const wrapped = (cause: Error) => new Error('Failed to query Workflow', { cause });
  expect(noWorkerAnswered(wrapped(grpc(9, '9 FAILED_PRECONDITION: no poller seen for task queue recently, worker may be down')))).toBe(true);
  expect(noWorkerAnswered(wrapped(grpc(1, '1 CANCELLED: Call cancelled')))).toBe(true);
  expect(noWorkerAnswered(wrapped(grpc(9, '9 FAILED_PRECONDITION: something else')))).toBe(false);
  expect(noWorkerAnswered(wrapped(grpc(3, '3 INVALID_ARGUMENT: bad')))).toBe(false);
});

test('a review pinned to a worker deployment version names that version: only its workers can answer', () => {
  const described = (versioningInfo: unknown) => ({ raw: { workflowExecutionInfo: { versioningInfo } } }) as unknown as Parameters<typeof pinnedVersionOf>[0];
  const pinned = described({ behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED, deploymentVersion: { deploymentName: 'review', buildId: 'A' } });
  expect(pinnedVersionOf(pinned)).toBe('review:A');
  expect(pinnedVersionOf(described({ behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE, deploymentVersion: { deploymentName: 'review', buildId: 'B' } }))).toBeUndefined();
  expect(pinnedVersionOf(described(undefined))).toBeUndefined();
  expect(new ReviewUnavailableError('r1', 'review', 'decision', 'review:A').message).toContain("is a worker of version review:A, which the review is pinned to, polling task queue 'review'?");
});
