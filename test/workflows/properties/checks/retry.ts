/**
 * Retry: accepted only while the review is failed and waiting in its retry window (and then it must be,
 * unless the review's timeout has run out, when the retried review would time out at once);
 * it re-runs the named step, what is downstream of it and what did not succeed, and nothing else; a
 * failed review waiting for a retry has no step left running.
 */
import { descendantsOf, isTolerated } from '../oracle';
import type { MessageRecord, ObservedStatus } from '../observation';
import { ACTIVE_STATES, BUSY_STEP_STATES, timeoutMs, type Facts } from './facts';
import { TOLERANCE, type Verdict } from './verdict';

function inRetryWindow(f: Facts, pre: ObservedStatus | undefined): pre is ObservedStatus {
  return pre !== undefined && f.c.retryWindow !== undefined && pre.state === 'failed' && (pre.phase === undefined || pre.phase === 'retry_window');
}

function paused(s: ObservedStatus): boolean {
  return s.paused ?? s.state === 'paused';
}

function checkRerun(f: Facts, v: Verdict, r: MessageRecord, pre: ObservedStatus): void {
  const steps = f.c.pipeline.steps;
  const from = r.message.kind === 'retry' ? r.message.from : undefined;
  const stateOf = (id: string) => pre.steps.find((s) => s.id === id)?.state;
  const fromSet = from ? [from, ...descendantsOf(steps, from)] : [];
  const broken = steps.filter((s) => (stateOf(s.id) === 'failed' && !isTolerated(s)) || stateOf(s.id) === 'cancelled').map((s) => s.id);
  const required = new Set([...fromSet, ...broken]);
  const allowed = new Set([...required, ...[...required].flatMap((id) => descendantsOf(steps, id)), ...steps.filter((s) => stateOf(s.id) !== 'succeeded').map((s) => s.id)]);
  const rerun = r.rerun ?? [];
  const missing = [...required].filter((id) => !rerun.includes(id));
  const extra = rerun.filter((id) => !allowed.has(id));
  v.check('retry-reruns', missing.length === 0 && extra.length === 0, () =>
    `retry${from ? ` from ${from}` : ''} (message #${r.index}) re-ran [${rerun.join(', ')}] with steps ${pre.steps.map((s) => `${s.id}:${s.state}`).join(' ')}` +
      `${missing.length ? `; it must re-run ${missing.join(', ')}` : ''}${extra.length ? `; it must not re-run ${extra.join(', ')}, which succeeded` : ''}`,
  );
}

/** Whether the review's timeout had run out (clearly: by more than the race tolerance) when `r` was sent; undefined when unknown. */
function timeoutRanOut(f: Facts, r: MessageRecord, sign: 1 | -1): boolean | undefined {
  if (!f.c.pipeline.timeout) return false;
  if (!f.timeline?.complete) return undefined;
  const due = f.timeline.clockReached(timeoutMs(f.c));
  return due !== undefined && due <= r.sentAt + sign * TOLERANCE.race;
}

export function checkRetries(f: Facts, v: Verdict): void {
  const failedAt = f.timeline?.failedAt() ?? [];
  for (const r of f.obs.messages) {
    const pre = r.pre;
    if (inRetryWindow(f, pre)) {
      const busy = pre.steps.filter((s) => BUSY_STEP_STATES.includes(s.state));
      v.check('settled-in-retry-window', busy.length === 0, () =>
        `failed and waiting for a retry (before message #${r.index}, ${f.rel(r.queriedAt)}) with ${busy.map((s) => `${s.id} ${s.state}`).join(', ')}`,
      );
    }
    if (r.message.kind !== 'retry' || !pre) continue;
    const label = `retry${r.message.from ? ` from ${r.message.from}` : ''} (message #${r.index}, ${f.rel(r.sentAt)}, review ${pre.state}${pre.phase ? `/${pre.phase}` : ''})`;
    if (r.answer === 'ack') {
      // The review may have failed, or finished settling a failure, between the status query and the update.
      const failedMeanwhile = ACTIVE_STATES.includes(pre.state) && failedAt.some((t) => t >= r.queriedAt - TOLERANCE.race);
      const settlingMeanwhile = pre.state === 'failed' && pre.phase === 'settling';
      v.check('retry-only-in-window', f.c.retryWindow !== undefined && (inRetryWindow(f, pre) || failedMeanwhile || settlingMeanwhile), () =>
        `${label} was accepted${f.c.retryWindow ? '' : ' without a retry window'}`,
      );
      if (inRetryWindow(f, pre)) checkRerun(f, v, r, pre);
      v.check('retry-refused-after-timeout', timeoutRanOut(f, r, -1) !== true, () => `${label} was accepted although the review's timeout had run out`);
    } else if (r.answer === 'refused' && inRetryWindow(f, pre) && !paused(pre)) {
      const timedOut = timeoutRanOut(f, r, 1) !== false && /timeout \(.+\) has run out/.test(r.detail ?? '');
      v.check('retry-in-window-accepted', timedOut, () => `${label} was refused while waiting in its retry window: ${r.detail}`);
    } else if (inRetryWindow(f, pre) && !paused(pre)) {
      v.check('retry-in-window-accepted', r.answer !== 'error', () => `${label} got no answer: ${r.detail}`);
    }
  }
  if (f.timeline?.complete) {
    const left = f.timeline.leftFailed();
    v.check('retry-takes-effect', f.acceptedRetries.length <= left, () =>
      `${f.acceptedRetries.length} retries were accepted but the review left the failed state ${left} times`,
    );
  }
  for (const spec of f.c.pipeline.steps) {
    if (!spec.task) continue;
    const runs = f.obs.events.filter((e) => e.step === spec.id && e.kind === 'step' && e.attempt === 1).length;
    const allowed = 1 + f.acceptedRetries.filter((r) => (r.rerun ?? []).includes(spec.id)).length;
    v.check('retry-reuses-succeeded', runs <= allowed, () => `${spec.id} was started ${runs} times, but only ${allowed - 1} accepted retries re-ran it`);
  }
}
