import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { PRIORITIES } from '../../src/definition/schema';
import { workflowBundle } from './environments';

/** Runs one worker per priority tier (`<prefix>-critical` ... `<prefix>-low`) while `fn` runs. */
export async function withReviewWorkers<T>(
  connection: NativeConnection,
  prefix: string,
  activities: object,
  fn: () => Promise<T>,
  options: Partial<Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'dataConverter' | 'workflowBundle'>> = {},
): Promise<T> {
  const workers = await Promise.all(
    PRIORITIES.map((tier) =>
      Worker.create({
        connection,
        taskQueue: `${prefix}-${tier}`,
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
