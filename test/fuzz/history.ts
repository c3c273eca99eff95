import type { WorkflowHandle } from '@temporalio/client';

/** Event type names of a workflow's history, e.g. EVENT_TYPE_WORKFLOW_TASK_FAILED. */
export async function eventTypes(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<string[]> {
  const history = JSON.parse(JSON.stringify(await handle.fetchHistory())) as { events?: { eventType?: string }[] };
  return (history.events ?? []).map((e) => String(e.eventType));
}

export async function workflowTaskFailures(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<number> {
  return (await eventTypes(handle)).filter((t) => t === 'EVENT_TYPE_WORKFLOW_TASK_FAILED').length;
}
