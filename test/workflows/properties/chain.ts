/**
 * A review's runs, followed through continue-as-new from its first run, and what the last one says:
 * whether the review has closed. Also the check that the server agrees which run is current: the
 * time-skipping server can lose track across continue-as-new (its current run is then not the last of
 * the chain), after which messages reach the wrong run and the run is inconclusive.
 */
import type { WorkflowClient, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { reviewWorkflow } from '../../../workflows/review';

export type StartedHandle = WorkflowHandleWithFirstExecutionRunId<typeof reviewWorkflow>;

export class InconclusiveRun extends Error {
  override name = 'InconclusiveRun';
}

export interface ChainEvent {
  eventId?: string;
  eventType?: string;
  workflowTaskFailedEventAttributes?: { cause?: string; failure?: { message?: string } };
  workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string };
}

export interface ChainRun {
  runId: string;
  events: ChainEvent[];
  /** The history as the server sent it, for replay. */
  proto?: temporal.api.history.v1.IHistory;
}

const MAX_RUNS = 50;
const CLOSE_EVENTS = [
  'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT',
];

export async function fetchChain(client: WorkflowClient, handle: Pick<StartedHandle, 'workflowId' | 'firstExecutionRunId'>): Promise<ChainRun[]> {
  const runs: ChainRun[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId && runs.length < MAX_RUNS) {
    const proto: temporal.api.history.v1.IHistory = await client.getHandle(handle.workflowId, runId).fetchHistory();
    const events: ChainEvent[] = (JSON.parse(JSON.stringify(proto)) as { events?: ChainEvent[] }).events ?? [];
    runs.push({ runId, events, proto });
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}

/** Whether the review (the last run of its chain) has closed; throws InconclusiveRun if the server lost track of its runs. */
export async function isClosed(client: WorkflowClient, handle: StartedHandle): Promise<boolean> {
  let mismatch = '';
  // A continue-as-new between reading the chain and asking for the current run is a race, not a fault: look again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const runs = await fetchChain(client, handle);
    const last = runs[runs.length - 1];
    const lastEvent = last?.events[last.events.length - 1]?.eventType ?? '';
    if (CLOSE_EVENTS.includes(lastEvent) || !last) return last !== undefined;
    const current = await handle.describe();
    if (current.runId === last.runId) return false;
    mismatch = `the test server's current run ${current.runId} (${current.status.name}) is not the last run ${last.runId} of the review's continue-as-new chain`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new InconclusiveRun(mismatch);
}
