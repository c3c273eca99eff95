/** The outcome as the client sees it: result() resolved or failed, and how. */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { WorkflowClient } from '@temporalio/client';
import { InconclusiveRun, isClosed, type StartedHandle } from './chain';
import { runHistories } from './histories';
import { withTimeout } from '../../helpers/wait';
import type { ClientOutcome, ObservedStatus } from './observation';
import { guarded, StuckReview } from './stuck';

const CLOSE_TIMEOUT_MS = 90_000;

/** What the server says about a review that does not close: its runs and their last events. */
async function diagnose(client: WorkflowClient, handle: StartedHandle): Promise<string> {
  try {
    const d = await withTimeout(handle.describe(), 10_000, 'describe');
    const runs = await runHistories(client, handle);
    return [
      `describe: run ${d.runId} ${d.status.name}, ${d.historyLength} events, ${d.raw.pendingActivities?.length ?? 0} pending activities`,
      ...runs.map((r) => `run ${r.runId}: ${r.eventTypes.length} events, last ${r.eventTypes.slice(-4).map((e) => e.replace('EVENT_TYPE_', '')).join(' ')}`),
    ].join('; ');
  } catch (err) {
    return `no diagnosis: ${String(err)}`;
  }
}

export async function awaitOutcome(client: WorkflowClient, handle: StartedHandle): Promise<ClientOutcome> {
  await isClosed(client, handle); // throws InconclusiveRun when the server lost track of the review's runs
  const result = handle.result();
  try {
    const status = (await withTimeout(guarded(client, handle, result, 'awaiting the result'), CLOSE_TIMEOUT_MS, 'review result')) as ObservedStatus;
    if (status.state === 'completed' || status.state === 'rejected') return { kind: status.state, status };
    return { kind: 'resolved-other', status };
  } catch (err) {
    if (err instanceof StuckReview) return { kind: 'open', detail: err.message };
    if (err instanceof WorkflowFailedError) {
      if (err.cause instanceof CancelledFailure) return { kind: 'cancelled' };
      if (err.cause instanceof ApplicationFailure) {
        const details = err.cause.details?.[0] as ObservedStatus | undefined;
        return { kind: 'failed', status: details, failureType: err.cause.type ?? undefined, detailsState: details?.state };
      }
      return { kind: 'unexpected', error: `${err.message}: ${String(err.cause)}` };
    }
    if (err instanceof Error && err.message.includes('no answer within')) {
      const detail = `no result within ${CLOSE_TIMEOUT_MS} ms of resolving it (${await diagnose(client, handle)})`;
      // Terminate so the pending result() settles and the test server's clock is locked again.
      await withTimeout(handle.terminate('property driver: the review did not close'), 30_000, 'terminate').catch(() => undefined);
      const settled = await withTimeout(result, 30_000, 'result after terminate').then(
        () => true,
        (e: unknown) => !(e instanceof Error && e.message.includes('no answer within')),
      );
      if (!settled) throw new InconclusiveRun(`${handle.workflowId} neither closed nor could be terminated: ${detail}; after terminate: ${await diagnose(client, handle)}`);
      return { kind: 'open', detail };
    }
    return { kind: 'unexpected', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
