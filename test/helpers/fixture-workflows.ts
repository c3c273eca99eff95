import { sleep, upsertSearchAttributes } from '@temporalio/workflow';

/** Sleeps for the given duration and reports how long the workflow clock moved. */
export async function sleepFor(duration: string): Promise<number> {
  const before = Date.now();
  await sleep(duration as Parameters<typeof sleep>[0]);
  return Date.now() - before;
}

/** Marks itself with a ReviewStatus search attribute, then waits a long time. */
export async function tagAndWait(status: string): Promise<void> {
  upsertSearchAttributes({ ReviewStatus: [status] });
  await sleep('1 day');
}
