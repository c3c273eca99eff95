/**
 * Watching a review while the driver waits on it. Ways a review can stop making progress:
 *
 * - its workflow task keeps failing: a fault of the workflow (the run is ended and the checks report
 *   the failed tasks);
 * - its workflow task stays started for good, which the time-skipping test server does when a task
 *   cancels an activity whose completion arrives at the same moment (temporalio/sdk-java#2391, #3088),
 *   or the server loses track of the current run across continue-as-new: faults of the test server,
 *   so the run is inconclusive and the environment is replaced.
 *
 *   The same fault has a second form: the server refuses the task's completion (`ACTIVITY_UNKNOWN`), keeps
 *   the activity's completion events, and schedules a new task after the first without ending it. No real
 *   server writes such a history, and the SDK cannot replay it (its activity machine sees the activity
 *   start after it asked to cancel it), so that run is inconclusive too.
 *
 * Either way the review is terminated, which frees the test server's clock, and an error is thrown.
 */
import type { WorkflowClient } from '@temporalio/client';
import { fetchChain, InconclusiveRun, type ChainRun, type StartedHandle } from './chain';

export { InconclusiveRun };

export class StuckReview extends Error {
  override name = 'StuckReview';
}

const WATCH_EVERY_MS = 2_000;
/** A workflow task started this long ago (wall time) without completing, failing or timing out is wedged. */
const WEDGED_TASK_MS = 8_000;

function taskFailures(runs: ChainRun[]): string[] {
  return runs
    .flatMap((r) => r.events)
    .filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' && !String(e.workflowTaskFailedEventAttributes?.cause).endsWith('UNHANDLED_COMMAND'))
    .map((e) => `${e.workflowTaskFailedEventAttributes?.cause ?? ''}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`);
}

const TASK_ENDS = ['EVENT_TYPE_WORKFLOW_TASK_COMPLETED', 'EVENT_TYPE_WORKFLOW_TASK_FAILED', 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT'];

/** The id of a workflow task that started and was followed by another task's scheduling without ending. */
export function droppedTask(runs: ChainRun[]): string | undefined {
  for (const run of runs) {
    let started: string | undefined;
    for (const e of run.events) {
      if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED') started = e.eventId;
      else if (TASK_ENDS.includes(String(e.eventType))) started = undefined;
      else if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED' && started !== undefined) return started;
    }
  }
  return undefined;
}

async function terminate(client: WorkflowClient, handle: StartedHandle, runId: string, why: string): Promise<void> {
  await client.getHandle(handle.workflowId, runId).terminate(`property driver: ${why}`).catch(() => undefined);
}

/** Waits for `work` while watching the review; see the module comment. */
export async function guarded<T>(client: WorkflowClient, handle: StartedHandle, work: Promise<T>, what: string): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  let lastEvent = '';
  let unchangedSince = Date.now();
  for (;;) {
    const tick = new Promise<'tick'>((resolve) => setTimeout(() => resolve('tick'), WATCH_EVERY_MS));
    const first = await Promise.race([watched.then(() => 'done' as const, () => 'done' as const), tick]);
    if (first === 'done' || settled) return watched;
    const runs = await fetchChain(client, handle).catch(() => undefined);
    const last = runs?.[runs.length - 1];
    if (!runs || !last) continue;
    const dropped = droppedTask(runs);
    if (dropped !== undefined) {
      await terminate(client, handle, last.runId, 'the test server dropped its workflow task');
      void watched.catch(() => undefined);
      throw new InconclusiveRun(`${what}: workflow task ${dropped} started and was never ended before the next was scheduled (test server)`);
    }
    const failures = taskFailures(runs);
    if (failures.length > 0) {
      await terminate(client, handle, last.runId, 'its workflow task keeps failing');
      await watched.catch(() => undefined);
      throw new StuckReview(`${what}: the review's workflow task keeps failing (${failures.length}x: ${failures[0]?.slice(0, 300)}); terminated`);
    }
    const tail = last.events[last.events.length - 1];
    const now = `${last.runId}:${tail?.eventId}:${tail?.eventType}`;
    if (now !== lastEvent) {
      lastEvent = now;
      unchangedSince = Date.now();
    } else if (tail?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_STARTED' && Date.now() - unchangedSince > WEDGED_TASK_MS) {
      await terminate(client, handle, last.runId, 'its workflow task is wedged in the test server');
      // Not awaited: the test server is replaced after an inconclusive run, with whatever it still holds.
      void watched.catch(() => undefined);
      throw new InconclusiveRun(`${what}: workflow task ${tail.eventId} started and never completed, failed or timed out (test server)`);
    }
  }
}
