/**
 * The outcome: justified by what happened, fixed by the first decisive event, and for a completed review
 * exactly what the oracle predicts step by step. Every task ends as the deterministic test executors say.
 */
import { APPROVERS, failureDecides, timeoutPolicy } from '../model';
import { isTolerated, predictCompleted, predictTask } from '../oracle';
import { TOLERANCE, type Verdict } from './verdict';
import type { Facts } from './facts';

function justified(f: Facts): string | undefined {
  const { c, obs, outcome } = f;
  const sentDecision = (verdict: 'approve' | 'reject') =>
    obs.messages.some(
      (r) => r.message.kind === 'decide' && r.message.verdict === verdict && APPROVERS.includes(r.message.by) && (r.answer === 'ack' || r.answer === 'sent'),
    );
  const gates = c.pipeline.steps.filter((s) => s.gate);
  switch (outcome) {
    case 'cancelled':
      return f.cancel ? undefined : 'ended cancelled but no cancel was sent';
    case 'rejected':
      if (sentDecision('reject') || gates.some((g) => g.gate && timeoutPolicy(g.gate) === 'reject')) return undefined;
      return 'ended rejected without a rejection by an approver and without a gate deadline that rejects';
    case 'failed': {
      const failing = c.pipeline.steps.filter(
        (s) => s.task && !predictTask(s.task, f.flakyWorked(s.id)).succeeds && failureDecides(s.task) && f.executions(s.id).length > 0,
      );
      if (failing.length || gates.some((g) => g.gate && timeoutPolicy(g.gate) === 'fail') || c.pipeline.timeout) return undefined;
      return 'ended failed without a step failure that decides, a gate deadline that fails, or a review timeout';
    }
    default:
      return undefined;
  }
}

export function checkOutcome(f: Facts, v: Verdict): void {
  const { c, status, outcome } = f;
  if (!status || !outcome) return;
  const why = justified(f);
  v.check('outcome-justified', why === undefined, () => why ?? '');

  // The first decisive event fixes the outcome; a cancel only overrides a failure waiting for a retry.
  const first = f.firstDecisive(TOLERANCE.race);
  const firstKinds = new Set(first.map((e) => e.kind));
  if (outcome === 'completed') {
    const lastChange = status.transitions[status.transitions.length - 1];
    const closing = lastChange ? Date.parse(lastChange.at) : Number.POSITIVE_INFINITY;
    // A cancel sent after the completing workflow task began could not have been seen by it, and a
    // review timeout due within the deadline tolerance of the completion is a race either way.
    const margin = (source: string) => (source === 'cancel' ? TOLERANCE.race : source === 'timeout' ? TOLERANCE.deadline : 0);
    const relevant = f.decisive.filter((e) => e.at < closing - margin(e.source));
    v.check('first-decisive-event', relevant.length === 0, () =>
      `completed although ${relevant.map((e) => `${e.what} at ${f.rel(e.at)}`).join(', ')}`,
    );
  } else if (first.length > 0) {
    const cancelInWindow = outcome === 'cancelled' && c.retryWindow !== undefined && f.cancel?.pre?.state === 'failed';
    v.check('first-decisive-event', firstKinds.has(outcome) || cancelInWindow, () =>
      `ended ${outcome}, but the first decisive event was ${first.map((e) => `${e.what} at ${f.rel(e.at)}`).join(' / ')}`,
    );
  }

  if (outcome === 'completed') {
    const predicted = predictCompleted(c, f.flakyWorked);
    v.check('completed-as-predicted', predicted.decidingFailures.length === 0, () =>
      `completed although ${predicted.decidingFailures.join(', ')} must fail and decide the review`,
    );
    const mismatches = c.pipeline.steps
      .map((s) => ({ id: s.id, want: predicted.states.get(s.id), got: f.step(s.id)?.state }))
      .filter((m) => m.want !== m.got);
    v.check('completed-as-predicted', mismatches.length === 0, () =>
      `step states differ from the prediction for a completed review: ${mismatches.map((m) => `${m.id} is ${m.got}, expected ${m.want}`).join('; ')}`,
    );
    const leftovers = status.steps.filter((s) => s.state === 'cancelled' || (s.state === 'failed' && !isTolerated(f.spec(s.id))));
    v.check('completed-without-leftovers', leftovers.length === 0, () =>
      `completed with ${leftovers.map((s) => `${s.id} ${s.state}`).join(', ')} left behind`,
    );
  }

  for (const s of status.steps) {
    const task = f.spec(s.id)?.task;
    if (!task || (s.state !== 'succeeded' && s.state !== 'failed')) continue;
    const prediction = predictTask(task, f.flakyWorked(s.id));
    v.check('step-results-as-predicted', prediction.succeeds === (s.state === 'succeeded'), () =>
      `${s.id} (${task.kind}${task.fail ? ` failTimes ${task.fail.failTimes} maxAttempts ${task.fail.maxAttempts}${task.fail.nonRetryable ? ' nonRetryable' : ''}` : ''}, onFailure ${task.onFailure}) ended ${s.state}, expected ${prediction.succeeds ? 'succeeded' : 'failed'}`,
    );
  }

  // Once the outcome is fixed no new step starts (new executions only: attempt 1 of a step's activity).
  const fixedAt = first[0]?.at;
  if (fixedAt !== undefined) {
    const late = f.obs.events.filter((e) => e.kind === 'step' && e.attempt === 1 && e.serverTime > fixedAt + TOLERANCE.race);
    v.check('no-step-after-outcome', late.length === 0, () =>
      `${late.map((e) => `${e.step} started at ${f.rel(e.serverTime)}`).join(', ')} after the outcome was fixed by ${first[0]?.what} at ${f.rel(fixedAt)}`,
    );
    const lateGates = status.steps.filter((s) => f.spec(s.id)?.gate && s.startedAt && Date.parse(s.startedAt) > fixedAt + TOLERANCE.race);
    v.check('no-step-after-outcome', lateGates.length === 0, () =>
      `gate ${lateGates.map((s) => `${s.id} opened at ${f.rel(Date.parse(s.startedAt ?? ''))}`).join(', ')} after the outcome was fixed at ${f.rel(fixedAt)}`,
    );
  }
}
