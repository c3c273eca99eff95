import { CancelledFailure } from '@temporalio/common';
import { makeActivities, runActivity, stepRequest } from './helpers';

const activities = makeActivities();

describe('echo executor', () => {
  test('returns its input', async () => {
    const { response } = await runActivity(activities, stepRequest('echo', { message: 'hi', n: [1, 2] }));
    expect(response?.output).toEqual({ message: 'hi', n: [1, 2], heartbeatMs: 1_000 });
  });

  test('waits delayMs while heartbeating', async () => {
    const started = Date.now();
    const { response, heartbeats } = await runActivity(activities, stepRequest('echo', { delayMs: 300, heartbeatMs: 50 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response?.output).toMatchObject({ delayMs: 300 });
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(heartbeats[0]).toMatchObject({ elapsedMs: expect.any(Number), remainingMs: expect.any(Number) });
  });

  test('stops waiting when cancelled', async () => {
    const started = Date.now();
    const { error } = await runActivity(activities, stepRequest('echo', { delayMs: 20_000 }), {
      during: async (env) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        env.cancel();
      },
    });
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('fail executor', () => {
  test('fails the first failTimes attempts, then succeeds', async () => {
    const request = stepRequest('fail', { failTimes: 2, output: { ok: true } });
    const first = await runActivity(activities, request, { attempt: 1 });
    expect(first.error).toMatchObject({ type: 'SimulatedFailure', nonRetryable: false });
    const second = await runActivity(activities, request, { attempt: 2 });
    expect(second.error).toMatchObject({ nonRetryable: false });
    const third = await runActivity(activities, request, { attempt: 3 });
    expect(third.response).toEqual({ output: { attempt: 3, output: { ok: true } }, summary: 'succeeded on attempt 3' });
  });

  test('fails for good when non-retryable, with the given type and message', async () => {
    const { error } = await runActivity(activities, stepRequest('fail', { nonRetryable: true, errorType: 'Rejected', message: 'no way' }), { attempt: 1 });
    expect(error).toMatchObject({ type: 'Rejected', nonRetryable: true, message: 'no way' });
  });

  test('fails every attempt by default', async () => {
    const { error } = await runActivity(activities, stepRequest('fail', {}), { attempt: 50 });
    expect(error).toMatchObject({ type: 'SimulatedFailure', message: 'simulated failure on attempt 50' });
  });
});
