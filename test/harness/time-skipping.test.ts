import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/environments';

describe('time-skipping environment', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow with a one-day timer in seconds of wall time', async () => {
    const taskQueue = uniqueTaskQueue('smoke');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
    });
    const wallStart = Date.now();
    const slept = await worker.runUntil(
      env.client.workflow.execute('sleepFor', { args: ['1 day'], taskQueue, workflowId: taskQueue }),
    );
    expect(slept).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(Date.now() - wallStart).toBeLessThan(20_000);
  });
});
