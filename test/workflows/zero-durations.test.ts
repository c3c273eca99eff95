/**
 * A definition that did not go through validation (a review started with plain Temporal tooling) with a
 * step timeout of 0: Temporal refuses such an activity with the whole workflow task, so the workflow must
 * fail the step itself rather than send it.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it('a step whose timeout is 0 fails with the reason, handled by its onFailure', async () => {
  const t = reviewTest(env);
  const { failure, history } = await t.run(async () => {
    const handle = await t.start({
      name: 'zero-timeout',
      steps: [
        { id: 'tolerated', uses: 'echo', timeout: { scheduleToClose: '0s' }, onFailure: 'continue' },
        { id: 'a', uses: 'echo', timeout: '0s' },
        { id: 'after', uses: 'echo', needs: ['a'] },
      ],
    });
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    return { failure, history: await handle.fetchHistory() };
  });
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const details = (failure as WorkflowFailedError).cause as { message: string; details?: unknown[] };
  expect(details.message).toBe('review failed: step a failed: timeout 0s leaves the step no time to run: give startToClose or scheduleToClose a positive duration');
  const status = details.details?.[0] as { steps: { id: string; state: string; error?: string }[] };
  expect(status.steps.map((s) => [s.id, s.state])).toEqual([
    ['tolerated', 'failed'],
    ['a', 'failed'],
    ['after', 'skipped'],
  ]);
  expect(status.steps[0]?.error).toContain('timeout 0s leaves the step no time to run');
  expect(history.events?.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  expect(history.events?.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
});
