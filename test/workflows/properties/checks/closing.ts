/**
 * How the review closes: it does close, no workflow task failed in any run, every run replays from its
 * history on the same code (no non-determinism), the client sees the outcome
 * the contract describes, the final status agrees with it, and both stay small.
 */
import { MAX_STATUS_BYTES, type Verdict } from './verdict';
import type { Facts } from './facts';
import { DRIVER_CANCEL_REASON } from '../messenger';

/** The server fails a task that completes the workflow while new events arrived; the SDK replays it. Not a code failure. */
const BENIGN_TASK_FAILURE = 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND';

export function checkClosing(f: Facts, v: Verdict): void {
  const { obs } = f;
  const o = obs.outcome;
  v.check('closes', o.kind !== 'open', () => (o.kind === 'open' ? o.detail : ''));

  for (const run of obs.runs) {
    const failures = run.taskFailures.filter((t) => !t.startsWith(BENIGN_TASK_FAILURE));
    v.check('no-workflow-task-failure', failures.length === 0, () => `run ${run.runId}: ${failures.join(' | ')}`);
    // With a rejected update's task in the history, replay folds it into the task before (histories.ts): a
    // difference there is the test server's record, not the workflow's; exercised.ts counts those runs.
    v.check('replays', run.replayError === undefined || run.emptyTasks > 0, () => `run ${run.runId} does not replay on the same code: ${run.replayError}`);
  }

  if (o.kind === 'open') return;
  v.check('client-outcome', o.kind !== 'unexpected' && o.kind !== 'resolved-other', () =>
    o.kind === 'unexpected' ? `result() failed unexpectedly: ${o.error}` : o.kind === 'resolved-other' ? `result() resolved with state ${o.status.state}` : '',
  );
  if (o.kind === 'failed') {
    v.check('client-outcome', o.failureType === 'ReviewFailed' && o.detailsState === 'failed', () =>
      `a failed review must fail with ReviewFailed carrying its status (state failed); got type ${o.failureType}, details state ${o.detailsState}`,
    );
  }

  const final = obs.final;
  // The query of a closed review replays it: a run replay cannot reproduce (a rejected update's task) cannot answer.
  const lastRun = obs.runs[obs.runs.length - 1];
  const unreplayable = lastRun !== undefined && lastRun.emptyTasks > 0 && lastRun.replayError !== undefined;
  v.check('final-status-agrees', final !== undefined || unreplayable, () => `the status query failed after close: ${obs.finalQueryError}`);
  if (!final || !f.outcome) return;
  v.check('final-status-agrees', final.state === f.outcome, () => `the client saw ${f.outcome} but the status says ${final.state}`);
  const decided = final.outcome ?? final.decided;
  if (decided !== undefined) v.check('final-status-agrees', decided === f.outcome, () => `the status says the outcome is ${decided}, the review ended ${f.outcome}`);
  if (final.phase !== undefined) v.check('final-status-agrees', final.phase === 'closed', () => `status.phase is ${final.phase} after close`);
  if (obs.runs.length > 0) {
    v.check('final-status-agrees', final.continuedAsNew === obs.runs.length - 1, () =>
      `status.continuedAsNew is ${final.continuedAsNew} but the review had ${obs.runs.length} runs`,
    );
  }

  const chain = final.transitions;
  const broken = chain.findIndex((t, i) => t.from === t.to || (i > 0 && t.from !== chain[i - 1]?.to));
  if (!final.transitionsDropped) {
    v.check('transitions-consistent', chain[0]?.from === 'pending', () => `the first transition starts from ${chain[0]?.from}, not pending`);
  }
  v.check('transitions-consistent', broken < 0, () => `transition #${broken} ${JSON.stringify(chain[broken])} does not follow ${JSON.stringify(chain[broken - 1])}`);
  const last = chain[chain.length - 1];
  v.check('transitions-consistent', last?.to === final.state, () => `the last transition goes to ${last?.to}, the state is ${final.state}`);

  // Every cancel is sent with a reason; one sent just before a continue-as-new is not carried to the next run.
  if (f.outcome === 'cancelled' && obs.runs.length === 1 && !final.transitionsDropped) {
    const into = [...chain].reverse().find((t) => t.to === 'cancelled');
    v.check('cancel-keeps-reason', into?.reason?.startsWith(DRIVER_CANCEL_REASON) === true, () => `the review ended cancelled with the reason ${JSON.stringify(into?.reason)}, not the one sent with the cancel`);
  }

  const bytes = Buffer.byteLength(JSON.stringify(final));
  v.check('status-size', bytes < MAX_STATUS_BYTES, () => `the final status is ${bytes} bytes`);
  if ('status' in o && o.status) {
    const resultBytes = Buffer.byteLength(JSON.stringify(o.status));
    v.check('status-size', resultBytes < MAX_STATUS_BYTES, () => `the result is ${resultBytes} bytes`);
  }
}
