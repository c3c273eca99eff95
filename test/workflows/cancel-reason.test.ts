import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ReviewClient } from '../../src/client/review-client';
import { statusQuery } from '../../workflows/messages';
import { reviewTest, reviewTestEnv, type ReviewTest } from '../helpers/review-harness';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** A review of one gate, once it waits there. */
async function atGate(t: ReviewTest, name: string) {
  const handle = await t.start({ name, steps: [{ id: 'approval', gate: { approvers: ['alice'] } }] });
  for (let i = 0; i < 100 && (await handle.query(statusQuery)).state !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 50));
  return handle;
}

it("a cancelled review keeps the canceller's reason (Temporal does not pass the request's reason to the workflow)", async () => {
  const t = reviewTest(env);
  const reviews = new ReviewClient(env.client);
  const result = await t.run(async () => {
    const handle = await atGate(t, 'cancel-reason');
    await reviews.cancel(handle.workflowId, 'superseded by a newer commit', 'bob');
    return reviews.result(handle.workflowId);
  });
  expect(result.state).toBe('cancelled');
  expect(result.transitions.at(-1)).toMatchObject({ to: 'cancelled', reason: 'superseded by a newer commit · cancelled by bob' });
});

it('without a reason, the review says only that a cancel was requested', async () => {
  const t = reviewTest(env);
  const reviews = new ReviewClient(env.client);
  const result = await t.run(async () => {
    const handle = await atGate(t, 'cancel-plain');
    await reviews.cancel(handle.workflowId);
    await expect(reviews.cancel(handle.workflowId)).resolves.toBeUndefined();
    return reviews.result(handle.workflowId);
  });
  expect(result.transitions.at(-1)).toMatchObject({ to: 'cancelled', reason: 'cancel requested' });
  await expect(reviews.cancel(result.reviewId)).rejects.toThrow(`review '${result.reviewId}' has already finished (cancelled)`);
});

it('when two cancels race, the first reason stands and the second is noted', async () => {
  const t = reviewTest(env);
  const reviews = new ReviewClient(env.client);
  const result = await t.run(async () => {
    const handle = await atGate(t, 'cancel-twice');
    await reviews.cancel(handle.workflowId, 'reason A', 'carol');
    await reviews.cancel(handle.workflowId, 'reason B');
    return reviews.result(handle.workflowId);
  });
  expect(result.transitions.at(-1)).toMatchObject({ to: 'cancelled', reason: 'reason A · cancelled by carol' });
  expect(result.notices).toContain('another cancel was requested: reason B');
});
