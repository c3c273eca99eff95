/** Reads a workflow's history across continue-as-new runs (whole, for replay) and extracts its activities' timings. */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { StepRequest } from '../../activities/types';

type HistoryEvent = NonNullable<History['events']>[number];
type Timestamp = HistoryEvent['eventTime'];

export interface ActivityTiming {
  stepId: string;
  taskQueue: string;
  priorityKey: number | undefined;
  scheduledMs: number;
  startedMs: number;
  closedMs: number;
}

export interface WorkflowTaskTiming {
  scheduledMs: number;
  startedMs: number;
  completedMs: number;
}

export interface WorkflowHistory {
  runs: number;
  continuedAsNew: number;
  events: number;
  startedMs: number;
  closedMs: number;
  activities: ActivityTiming[];
  workflowTasks: WorkflowTaskTiming[];
}

function ms(ts: Timestamp): number {
  if (!ts) return Number.NaN;
  return Number(ts.seconds ?? 0) * 1000 + (ts.nanos ?? 0) / 1e6;
}

function stepIdOf(payloads: readonly Payload[] | null | undefined): string {
  const first = payloads?.[0];
  if (!first) return '';
  try {
    return defaultPayloadConverter.fromPayload<StepRequest>(first).stepId ?? '';
  } catch {
    return '';
  }
}

/** One run of a workflow: its id and its complete history, as the server returned it. */
export interface RunHistory {
  runId: string;
  history: History;
}

function continuedAsNewTo(history: History): string | undefined {
  const events = history.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const next = events[i]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (next) return next;
  }
  return undefined;
}

/** The history of every run of the workflow, first to last, following each run's continue-as-new link. */
export async function fetchRunHistories(client: Client, workflowId: string, firstRunId?: string): Promise<RunHistory[]> {
  let runId = firstRunId ?? (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  const runs: RunHistory[] = [];
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    runId = continuedAsNewTo(history);
  }
  return runs;
}

/** Every run of the workflow, first to last, following each run's continue-as-new link. */
export async function readWorkflowHistory(client: Client, workflowId: string, firstRunId?: string): Promise<WorkflowHistory> {
  return summarizeRuns(await fetchRunHistories(client, workflowId, firstRunId));
}

/** Event counts, run counts and the timings of activities and workflow tasks over the runs of one workflow. */
export function summarizeRuns(runs: readonly RunHistory[]): WorkflowHistory {
  const out: WorkflowHistory = { runs: 0, continuedAsNew: 0, events: 0, startedMs: Number.NaN, closedMs: Number.NaN, activities: [], workflowTasks: [] };
  for (const { history } of runs) {
    const events = history.events ?? [];
    out.runs += 1;
    out.events += events.length;
    const scheduled = new Map<string, ActivityTiming>();
    let task: WorkflowTaskTiming | undefined;
    for (const event of events) {
      const at = ms(event.eventTime);
      if (event.workflowTaskScheduledEventAttributes) {
        task = { scheduledMs: at, startedMs: Number.NaN, completedMs: Number.NaN };
        out.workflowTasks.push(task);
      }
      if (event.workflowTaskStartedEventAttributes && task) task.startedMs = at;
      if (event.workflowTaskCompletedEventAttributes && task) task.completedMs = at;
      if (event.workflowExecutionStartedEventAttributes && out.runs === 1) out.startedMs = at;
      const s = event.activityTaskScheduledEventAttributes;
      if (s) {
        const timing: ActivityTiming = {
          stepId: stepIdOf(s.input?.payloads as Payload[] | undefined),
          taskQueue: s.taskQueue?.name ?? '',
          priorityKey: s.priority?.priorityKey ?? undefined,
          scheduledMs: at,
          startedMs: Number.NaN,
          closedMs: Number.NaN,
        };
        scheduled.set(String(event.eventId), timing);
        out.activities.push(timing);
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const timing = scheduled.get(String(started.scheduledEventId));
        if (timing) timing.startedMs = at;
      }
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes;
      if (closed) {
        const timing = scheduled.get(String(closed.scheduledEventId));
        if (timing) timing.closedMs = at;
      }
      if (
        event.workflowExecutionCompletedEventAttributes ??
        event.workflowExecutionFailedEventAttributes ??
        event.workflowExecutionTerminatedEventAttributes ??
        event.workflowExecutionCanceledEventAttributes
      ) {
        out.closedMs = at;
      }
      if (event.workflowExecutionContinuedAsNewEventAttributes) out.continuedAsNew += 1;
    }
  }
  return out;
}
