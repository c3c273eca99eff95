import { devServerEnv, uniqueTaskQueue, type DevServerEnv } from '../helpers/environments';
import { devReviews } from '../helpers/dev-review';
import { jsonLogs, startWorkerProcess } from '../helpers/worker-process';
import { waitFor } from '../helpers/wait';
import { statusQuery } from '../../workflows/messages';

let env: DevServerEnv;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('the worker process', () => {
  it('finishes a running step on SIGTERM, and the review completes on a restarted worker without re-running it', async () => {
    const prefix = uniqueTaskQueue('proc');
    const reviews = devReviews(env.client, prefix);
    const first = await startWorkerProcess(prefix, { REVIEW_SHUTDOWN_GRACE: '20s' });
    expect(await (await fetch(`${first.healthUrl}/healthz`)).json()).toEqual({ status: 'ok' });

    const handle = await reviews.start({
      name: 'graceful',
      steps: [
        { id: 'slow', uses: 'echo', with: { delayMs: 2500, heartbeatMs: 200 } },
        { id: 'next', uses: 'echo', needs: ['slow'] },
      ],
    });
    await waitFor(async () =>
      (await handle.query(statusQuery)).steps[0]?.state === 'running' ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const afterStop = await handle.query(statusQuery).catch(() => undefined);
    const slowLogs = jsonLogs(first).filter((l) => l.stepId === 'slow');
    expect(slowLogs.map((l) => l.event)).toEqual(['step.started', 'step.completed']);

    const second = await startWorkerProcess(prefix);
    try {
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(result.steps.find((s) => s.id === 'slow')?.attempts).toBe(1);
      expect(jsonLogs(second).filter((l) => l.stepId === 'slow')).toEqual([]);
      expect(jsonLogs(second).filter((l) => l.stepId === 'next').map((l) => l.event)).toEqual(['step.started', 'step.completed']);
      if (afterStop) expect(afterStop.steps[0]?.state).toBe('succeeded');

      const metrics = await (await fetch(second.metricsUrl)).text();
      expect(metrics).toMatch(/review_step_duration_bucket\{[^}]*pipeline="graceful"[^}]*step="next"/);
      expect(metrics).toMatch(/review_step_duration_count\{[^}]*outcome="succeeded"[^}]*\} 1/);
      expect(metrics).toMatch(/review_step_schedule_to_start_count\{[^}]*priority="normal"/);
      // Buckets for steps of minutes and gates of days, not the runtime's 50 ms to 10 s.
      expect(metrics).toMatch(/review_step_duration_bucket\{[^}]*le="3600000"/);
      expect(metrics).toMatch(/review_finished\{[^}]*pipeline="graceful"[^}]*state="completed"[^}]*\} 1/);
      expect(metrics).toMatch(/temporal_activity_execution_latency/);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);

  it('refuses a bad configuration with a message naming the variable', async () => {
    const prefix = uniqueTaskQueue('badcfg');
    await expect(startWorkerProcess(prefix, { REVIEW_SLOTS_LOW: 'zero' })).rejects.toThrow(/REVIEW_SLOTS_LOW must be a whole number/);
  });
});
