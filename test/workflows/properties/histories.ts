/** The histories of every run of a review, following continue-as-new from the first run. */
import type { WorkflowClient } from '@temporalio/client';
import { fetchChain, type StartedHandle } from './chain';
import { withTimeout } from '../../helpers/wait';
import type { RunHistory } from './observation';

export async function runHistories(client: WorkflowClient, handle: Pick<StartedHandle, 'workflowId' | 'firstExecutionRunId'>): Promise<RunHistory[]> {
  const runs = await withTimeout(fetchChain(client, handle), 60_000, 'fetching histories');
  return runs.map(({ runId, events }) => ({
    runId,
    eventTypes: events.map((e) => String(e.eventType)),
    taskFailures: events
      .filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_FAILED')
      .map((e) => `${e.workflowTaskFailedEventAttributes?.cause ?? ''}: ${e.workflowTaskFailedEventAttributes?.failure?.message ?? ''}`),
  }));
}
