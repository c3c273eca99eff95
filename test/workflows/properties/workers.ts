/**
 * One worker for one case, on the case's own task-queue prefix. Generated pipelines set no priority,
 * so every workflow and activity task goes to `<prefix>-normal`; one worker instead of four keeps the
 * per-case start-up cost down. The bundle is read once per suite, so a bundle rebuilt by another test
 * run on the same machine cannot change the code under test half-way.
 */
import { readFileSync } from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workflowBundle } from '../../helpers/environments';

export interface LoadedBundle {
  code: string;
}

export function loadBundle(): LoadedBundle {
  return { code: readFileSync(workflowBundle().codePath, 'utf8') };
}

export async function withCaseWorker<T>(
  connection: NativeConnection,
  prefix: string,
  bundle: LoadedBundle,
  activities: object,
  fn: () => Promise<T>,
): Promise<T> {
  const worker = await Worker.create({
    connection,
    taskQueue: `${prefix}-normal`,
    workflowBundle: bundle,
    activities,
    maxCachedWorkflows: 10,
    shutdownForceTime: '10s',
  });
  const running = worker.run();
  try {
    return await fn();
  } finally {
    worker.shutdown();
    await running;
  }
}
