/**
 * What the server knows about running steps that the workflow may not have recorded yet: the attempt
 * number and last failure of each pending activity, matched to its step through the scheduling event.
 */
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { ReviewStatus, StepStatus } from '../../workflows/types';
import type { PendingStep } from './types';

const { EventType, PendingActivityState } = temporal.api.enums.v1;

function stateName(state: number | null | undefined): string {
  const name = state === null || state === undefined ? undefined : PendingActivityState[state];
  return (name ?? 'PENDING_ACTIVITY_STATE_UNSPECIFIED').replace('PENDING_ACTIVITY_STATE_', '').toLowerCase();
}

/** activityId → step id, read from the ActivityTaskScheduled events of the current run. */
async function stepsByActivityId(handle: WorkflowHandle, converter: LoadedDataConverter, wanted: Set<string>): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const history = await handle.fetchHistory();
  for (const event of history.events ?? []) {
    if (event.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
    const attributes = event.activityTaskScheduledEventAttributes;
    const id = attributes?.activityId;
    if (!id || !wanted.has(id)) continue;
    try {
      const request = await decodeFromPayloadsAtIndex<{ stepId?: unknown }>(converter, 0, attributes?.input?.payloads);
      if (typeof request?.stepId === 'string') map.set(id, request.stepId);
    } catch {
      // an input this client cannot decode (another codec): the step stays unknown
    }
  }
  return map;
}

export async function pendingSteps(
  handle: WorkflowHandle,
  description: WorkflowExecutionDescription,
  converter: LoadedDataConverter,
): Promise<PendingStep[]> {
  const pending = description.raw.pendingActivities ?? [];
  if (pending.length === 0) return [];
  const ids = new Set(pending.map((p) => p.activityId ?? '').filter((id) => id !== ''));
  const steps = await stepsByActivityId(handle, converter, ids).catch(() => new Map<string, string>());
  return pending.map((p) => {
    const activityId = p.activityId ?? '';
    const out: PendingStep = { activityId, attempt: p.attempt ?? 1, state: stateName(p.state) };
    const step = steps.get(activityId);
    if (step !== undefined) out.step = step;
    if (p.lastFailure?.message) out.lastFailure = p.lastFailure.message;
    const next = optionalTsToMs(p.nextAttemptScheduleTime);
    if (next !== undefined) out.nextAttemptAt = new Date(next).toISOString();
    return out;
  });
}

/** The status with each running step's attempts and last error brought up to what the server reports. */
export function overlayPending(status: ReviewStatus, pending: readonly PendingStep[]): ReviewStatus {
  if (pending.length === 0) return status;
  const byStep = new Map(pending.filter((p) => p.step !== undefined).map((p) => [p.step as string, p]));
  const steps = status.steps.map((step): StepStatus => {
    const live = byStep.get(step.id);
    if (!live || !['running', 'retrying', 'scheduled'].includes(step.state)) return step;
    const next: StepStatus = { ...step, attempts: Math.max(step.attempts, live.attempt) };
    if (step.state === 'running' && live.state === 'scheduled' && live.attempt === 1 && live.lastFailure === undefined) next.waitingForWorker = true;
    if (live.lastFailure !== undefined) {
      next.error = live.lastFailure;
      if (step.state === 'running' && live.state === 'scheduled' && live.attempt > 1) next.state = 'retrying';
    }
    return next;
  });
  return { ...status, steps };
}
