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

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe('step retries', () => {
  it('follows the declared exponential backoff and succeeds within max attempts', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () =>
      (
        await t.start({
          name: 'flaky',
          steps: [
            {
              id: 'flaky',
              uses: 'fail',
              with: { failTimes: 3 },
              retry: { maxAttempts: 5, initialInterval: '10s', backoffCoefficient: 3, maxInterval: '60s' },
            },
          ],
        })
      ).result(),
    );
    expect(result.state).toBe('completed');
    expect(result.steps[0]).toMatchObject({ state: 'succeeded', attempts: 4 });
    const attempts = t.recorder.events.map((e) => e.serverTime);
    expect(attempts).toHaveLength(4);
    const [g1, g2, g3] = gaps(attempts);
    expect(g1).toBeGreaterThanOrEqual(10_000);
    expect(g1).toBeLessThan(12_000);
    expect(g2).toBeGreaterThanOrEqual(30_000);
    expect(g2).toBeLessThan(32_000);
    expect(g3).toBeGreaterThanOrEqual(60_000); // 90s capped at maxInterval
    expect(g3).toBeLessThan(62_000);
  });

  it('stops at max attempts and fails the review with the step error', async () => {
    const t = reviewTest(env);
    const err = await t.run(async () =>
      (
        await t.start({
          name: 'broken',
          steps: [
            { id: 'always', uses: 'fail', retry: { maxAttempts: 3, initialInterval: '1s' } },
            { id: 'after', uses: 'echo', needs: ['always'] },
          ],
        })
      )
        .result()
        .then(() => undefined, (e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause as { type?: string; details?: unknown[] };
    expect(failure.type).toBe('ReviewFailed');
    const status = failure.details?.[0] as import('../../workflows/types').ReviewStatus;
    expect(status.state).toBe('failed');
    expect(status.steps[0]).toMatchObject({ state: 'failed', attempts: 3, error: 'failed attempt 3' });
    expect(status.steps[1]).toMatchObject({ state: 'skipped' });
    expect(t.recorder.events.filter((e) => e.step === 'always')).toHaveLength(3);
  });

  it('stops at once on a non-retryable error', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({
        name: 'fatal',
        steps: [{ id: 'fatal', uses: 'fail', with: { nonRetryable: true }, retry: { maxAttempts: 10 } }],
      });
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    });
    expect(t.recorder.events).toHaveLength(1);
  });

  it('stops at once on an error type the pipeline declares non-retryable', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({
        name: 'declared',
        steps: [{ id: 's', uses: 'fail', retry: { maxAttempts: 10, nonRetryableErrors: ['Flaky'] } }],
      });
      await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    });
    expect(t.recorder.events).toHaveLength(1);
  });
});
