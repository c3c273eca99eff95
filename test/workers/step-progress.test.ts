import { z } from 'zod';
import pino from 'pino';
import { defineExecutor, type Executor } from '../../activities';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers, HEARTBEAT_THROTTLE_MS } from '../../workers/review-workers';
import { statusQuery } from '../../workflows/messages';
import type { ReviewStatus, StepStatus } from '../../workflows/types';
import { devServerEnv, uniqueTaskQueue, workflowBundle, type DevServerEnv } from '../helpers/environments';
import { devReviews } from '../helpers/dev-review';

let env: DevServerEnv;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.close();
});

let releaseSecondAttempt: () => void = () => undefined;
const secondAttemptMayFinish = () => new Promise<void>((resolve) => (releaseSecondAttempt = resolve));

/** Fails its first attempt; its second waits for the test. */
const flaky = defineExecutor({
  type: 'flaky',
  description: 'Fails once, then succeeds when the test lets it',
  input: z.object({}),
  output: z.object({ attempt: z.number() }),
  async run(_input, ctx) {
    if (ctx.attempt === 1) throw new Error('the registry answered 503');
    await secondAttemptMayFinish();
    return { attempt: ctx.attempt };
  },
});

async function stepWhen(query: () => Promise<ReviewStatus>, id: string, holds: (s: StepStatus) => boolean): Promise<StepStatus> {
  let last: StepStatus | undefined;
  for (let i = 0; i < 200; i++) {
    last = (await query()).steps.find((s) => s.id === id);
    if (last && holds(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`step ${id} never reached the expected state; last seen: ${JSON.stringify(last)}`);
}

let cancelSeenAt: number | undefined;
/** Heartbeats every 200 ms until it is cancelled. */
const patient = defineExecutor({
  type: 'patient',
  description: 'Waits, heartbeating, until cancelled',
  input: z.object({}),
  output: z.object({}),
  async run(_input, ctx) {
    while (!ctx.signal.aborted) {
      ctx.heartbeat({ waiting: true });
      await new Promise((r) => setTimeout(r, 200));
    }
    cancelSeenAt = Date.now();
    throw new Error('cancelled');
  },
});

/** Runs `fn` with the production workers (createReviewWorkers) and `executor`, on a queue of its own; `beforeStop` unblocks its steps. */
async function withProductionWorkers(name: string, executor: Executor, fn: (reviews: ReturnType<typeof devReviews>) => Promise<void>, beforeStop = (): void => undefined): Promise<void> {
  const reviews = devReviews(env.client, uniqueTaskQueue(name));
  const connection = await reviews.connect();
  const workers = await createReviewWorkers({
    connection,
    config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: reviews.prefix }),
    executors: [executor],
    logger: pino({ level: 'silent' }),
    workflowBundle: workflowBundle(),
  });
  const running = workers.run();
  try {
    await fn(reviews);
  } finally {
    beforeStop();
    workers.shutdown();
    await running;
    await connection.close();
  }
}

describe('step progress from production workers', () => {
  it('a cancel reaches a running step within seconds, though its heartbeat timeout is minutes', async () => {
    await withProductionWorkers('cancel-reach', patient, async (reviews) => {
      const handle = await reviews.start({ name: 'cancel-reach', steps: [{ id: 'wait', uses: 'patient', timeout: { startToClose: '10m', heartbeat: '2m' } }] });
      await stepWhen(() => handle.query(statusQuery), 'wait', (s) => s.state === 'running');
      await new Promise((r) => setTimeout(r, 1500)); // past the first heartbeat, which is sent at once
      const cancelledAt = Date.now();
      await handle.cancel();
      await handle.result().catch(() => undefined);
      // The review does not wait for a step without undo to stop (TRY_CANCEL): the step hears of it at its next heartbeat.
      for (let i = 0; i < 300 && cancelSeenAt === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      expect(cancelSeenAt).toBeDefined();
      // Heartbeats are held back at most HEARTBEAT_THROTTLE_MS (10 s), not 80 % of the heartbeat timeout (96 s, capped at 60 s).
      expect((cancelSeenAt as number) - cancelledAt).toBeLessThan(HEARTBEAT_THROTTLE_MS + 5_000);
    });
  });

  it('shows a step as retrying with the failed attempt, then running its next attempt, then succeeded', async () => {
    await withProductionWorkers('progress', flaky, async (reviews) => {
      const handle = await reviews.start({
        name: 'progress',
        steps: [{ id: 'fetch', uses: 'flaky', retry: { maxAttempts: 3, initialInterval: '2s', backoff: 'fixed' } }],
      });
      const status = () => handle.query(statusQuery);

      const retrying = await stepWhen(status, 'fetch', (s) => s.state === 'retrying');
      expect(retrying).toMatchObject({ attempts: 1 });
      expect(retrying.error).toContain('the registry answered 503');

      const second = await stepWhen(status, 'fetch', (s) => s.state === 'running' && s.attempts === 2);
      expect(second.state).toBe('running');

      releaseSecondAttempt();
      const result = await handle.result();
      expect(result.steps.find((s) => s.id === 'fetch')).toMatchObject({ state: 'succeeded', attempts: 2, output: { attempt: 2 } });
    }, releaseSecondAttempt);
  });
});
