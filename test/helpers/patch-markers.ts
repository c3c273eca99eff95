/** The patch ids of the markers `patched()` recorded in a review's history, in history order. */
import type { WorkflowHandle } from '@temporalio/client';

export async function patchMarkers(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events
    .filter((e) => e.markerRecordedEventAttributes)
    .map((e) => {
      const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
      return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id : '?';
    });
}
