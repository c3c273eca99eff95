/**
 * Links into the Temporal Web UI (REVIEW_WEB_UI_URL, e.g. http://127.0.0.1:8233): a review's workflow, and
 * the scheduling event of a step's activity in its history, found by reading the history once per click.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;

export function workflowUrl(base: string, namespace: string, reviewId: string, runId?: string): string {
  const root = `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(reviewId)}`;
  return runId ? `${root}/${encodeURIComponent(runId)}/history` : root;
}

export function activityEventUrl(base: string, namespace: string, reviewId: string, runId: string, eventId: string): string {
  return `${workflowUrl(base, namespace, reviewId, runId)}/events/${encodeURIComponent(eventId)}`;
}

/** The id of the last ActivityTaskScheduled event that ran step `stepId` (its own attempt, not an undo or a reminder). */
export async function stepEventId(handle: WorkflowHandle, converter: LoadedDataConverter, stepId: string): Promise<string | undefined> {
  const history = await handle.fetchHistory();
  let found: string | undefined;
  for (const event of history.events ?? []) {
    if (event.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
    const payloads = event.activityTaskScheduledEventAttributes?.input?.payloads;
    try {
      const request = await decodeFromPayloadsAtIndex<{ stepId?: unknown; kind?: unknown }>(converter, 0, payloads);
      if (request?.stepId === stepId && (request.kind === undefined || request.kind === 'step')) found = String(event.eventId ?? '');
    } catch {
      // a payload this page cannot decode: not the step's
    }
  }
  return found || undefined;
}
