import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { PRIORITIES } from '../../src/definition/schema';
import { workflowBundle } from './environments';

/**
 * Runs a worker on the review queue `<prefix>` and one per priority tier (`<prefix>-critical` ... `<prefix>-low`,
 * for reviews started there or with tier step queues) while `fn` runs.
 */
export async function withReviewWorkers<T>(
  connection: NativeConnection,
  prefix: string,
  activities: object,
  fn: () => Promise<T>,
  options: Partial<Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'dataConverter' | 'workflowBundle'>> = {},
): Promise<T> {
  const workers = await Promise.all(
    [prefix, ...PRIORITIES.map((tier) => `${prefix}-${tier}`)].map((taskQueue) =>
      Worker.create({
        connection,
        taskQueue,
        workflowBundle: workflowBundle(),
        activities,
        ...options,
      }),
    ),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  try {
    return await fn();
  } finally {
    for (const w of workers) w.shutdown();
    await running;
  }
}
