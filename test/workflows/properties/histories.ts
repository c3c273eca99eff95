/** The histories of every run of a review, following continue-as-new from the first run, and whether each replays. */
import type { WorkflowClient } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { fetchChain, type ChainRun, type StartedHandle } from './chain';
import { withTimeout } from '../../helpers/wait';
import type { RunHistory } from './observation';
import type { LoadedBundle } from './workers';

export async function runHistories(
  client: WorkflowClient,
  handle: Pick<StartedHandle, 'workflowId' | 'firstExecutionRunId'>,
  replayOn?: LoadedBundle,
): Promise<RunHistory[]> {
  const runs = await withTimeout(fetchChain(client, handle), 60_000, 'fetching histories');
  const replayErrors = replayOn ? await withTimeout(replay(runs, handle.workflowId, replayOn), 60_000, 'replaying histories') : [];
  return runs.map(({ runId, events }, i) => ({
    runId,
    eventTypes: events.map((e) => String(e.eventType)),
    taskFailures: events
      .filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_FAILED')
      .map((e) => `${e.workflowTaskFailedEventAttributes?.cause ?? ''}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`),
    emptyTasks: emptyTasks(events),
    ...(replayErrors[i] !== undefined ? { replayError: replayErrors[i] } : {}),
  }));
}

/**
 * Workflow tasks scheduled with no event before them: the test server's record of an update the workflow
 * rejected. The real server drops such a task from the history (a speculative workflow task); replay folds
 * it into the task before, which then runs with the later task's clock and history length.
 */
function emptyTasks(events: ChainRun['events']): number {
  return events.filter((e, i) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED' && events[i - 1]?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').length;
}

/** Replays each run on a worker that never ran it, as one with an empty cache would: the error of each run that fails to, by index. */
async function replay(runs: ChainRun[], workflowId: string, bundle: LoadedBundle): Promise<(string | undefined)[]> {
  const histories = runs.map((run) => ({ workflowId, history: run.proto ?? { events: [] } }));
  const errors: (string | undefined)[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    errors.push(result.error ? `${result.error.name}: ${result.error.message}` : undefined);
  }
  return errors;
}
