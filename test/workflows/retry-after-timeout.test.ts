/**
 * The pipeline `timeout` covers the whole review, retries included: once it has run out, a retry is refused
 * with the reason instead of being accepted and failing at once. In a file of its own: a step left hanging by
 * another test holds the test server's time skipping, which this test needs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { retryUpdate, statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('retry after the review timeout ran out', () => {
  it('is refused with the reason, since the retried review would time out at once; the window then closes it failed', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(
        { name: 'slow-approval', timeout: '30m', steps: [{ id: 'approval', gate: { approvers: ['alice'], deadline: '1d' } }] },
        { options: { retryWindow: '1h' } },
      );
      await env.sleep('31m');
      const failed = await handle.query(statusQuery);
      expect(failed.state).toBe('failed');
      const failedAt = Date.parse(failed.transitions.at(-1)?.at ?? '');
      expect(failed.transitions.at(-1)?.reason).toContain('review timed out after 30m');
      expect(failed.phase).toBe('retry_window');
      expect(Date.parse(failed.deadlineAt ?? '')).toBeLessThanOrEqual(failedAt);
      const refused = await handle.executeUpdate(retryUpdate, { args: [{}] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toMatch(/timeout \(30m\) has run out.*start a new review/);
      const err = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const result = ((err as WorkflowFailedError).cause as unknown as { details: ReviewStatus[] }).details[0]!;
      expect(result.state).toBe('failed');
      expect(result.transitions.map((c) => c.to)).toEqual(['running', 'awaiting_approval', 'failed']);
    });
  });
});
