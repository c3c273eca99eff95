import { z } from 'zod';
import pino from 'pino';
import { defineExecutor } from '../../activities';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers } from '../../workers/review-workers';
import { devServerEnv, uniqueTaskQueue, workflowBundle, type DevServerEnv } from '../helpers/environments';
import { devReviews } from '../helpers/dev-review';

let env: DevServerEnv;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.close();
});

const shout = defineExecutor({
  type: 'shout',
  description: 'Upper-cases a text',
  input: z.object({ text: z.string() }),
  output: z.object({ loud: z.string() }),
  async run(input, ctx) {
    return { loud: `${input.text.toUpperCase()}! (${ctx.stepId}, attempt ${ctx.attempt})` };
  },
  summarize: (output) => output.loud,
});

describe('a worker with a custom executor', () => {
  it('runs the registered executor in a review alongside the built-ins', async () => {
    const prefix = uniqueTaskQueue('custom');
    const reviews = devReviews(env.client, prefix);
    const connection = await reviews.connect();
    const workers = await createReviewWorkers({
      connection,
      config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix }),
      executors: [shout],
      logger: pino({ level: 'silent' }),
      workflowBundle: workflowBundle(),
    });
    const running = workers.run();
    try {
      const handle = await reviews.start(
        {
          name: 'custom',
          steps: [
            { id: 'greet', uses: 'echo', with: { greeting: 'hello ${{ input.name }}' } },
            { id: 'loud', uses: 'shout', needs: ['greet'], with: { text: '${{ steps.greet.output.greeting }}' } },
          ],
        },
        { input: { name: 'world' } },
      );
      const result = await handle.result();
      const loud = result.steps.find((s) => s.id === 'loud')!;
      expect(loud).toMatchObject({ state: 'succeeded', attempts: 1, output: { loud: 'HELLO WORLD! (loud, attempt 1)' } });
      expect(loud.summary).toBe('HELLO WORLD! (loud, attempt 1)');
      expect(workers.ready()).toBe(true);
    } finally {
      workers.shutdown();
      await running;
      await connection.close();
    }
  });
});
