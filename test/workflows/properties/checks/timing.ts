/**
 * Time: the review timeout fires when the review's clock (paused time and the retry window excluded)
 * reaches it, and not later; gate deadlines likewise; no step is dispatched while the review is paused.
 */
import { DURATIONS, timeoutPolicy } from '../model';
import { timeoutMs, type Facts } from './facts';
import { TOLERANCE, type Verdict } from './verdict';

function checkReviewTimeout(f: Facts, v: Verdict): void {
  const { c, timeline, outcome, status } = f;
  if (!c.pipeline.timeout || !timeline?.complete || !outcome || !status) return;
  const budget = timeoutMs(c);
  const closing = timeline.firstClosing();
  if (!closing) return;
  const ran = timeline.clockMs(closing.at);
  v.check('review-timeout', ran <= budget + TOLERANCE.deadline, () =>
    `the review ran ${(ran / 1000).toFixed(1)} s of its clock before it first closed (${closing.state} at ${f.rel(closing.at)}); its timeout is ${c.pipeline.timeout}`,
  );
  if (outcome !== 'failed' || f.acceptedRetries.length > 0 || closing.state !== 'failed') return;
  const otherCause = f.decisive.some((e) => e.source !== 'timeout' && e.kind === 'failed');
  if (otherCause) return;
  v.check('review-timeout', Math.abs(ran - budget) <= TOLERANCE.deadline, () =>
    `failed with no step or gate failure, so by its ${c.pipeline.timeout} timeout, but after ${(ran / 1000).toFixed(1)} s of its clock (failed at ${f.rel(closing.at)}, paused ${(timeline.pausedMs(timeline.start, closing.at) / 1000).toFixed(1)} s)`,
  );
}

function checkGateDeadlines(f: Facts, v: Verdict): void {
  const { timeline } = f;
  if (!timeline?.complete) return;
  for (const spec of f.c.pipeline.steps) {
    const s = f.step(spec.id);
    if (!spec.gate?.deadline || !s?.startedAt || !s.endedAt) continue;
    const opened = Date.parse(s.startedAt);
    const closed = Date.parse(s.endedAt);
    const waited = closed - opened - timeline.heldMs(opened, closed);
    const deadline = DURATIONS[spec.gate.deadline];
    v.check('gate-deadline', waited <= deadline + TOLERANCE.deadline, () =>
      `gate ${s.id} stayed open ${(waited / 3_600_000).toFixed(3)} h (held time excluded) past its ${spec.gate?.deadline} deadline (opened ${f.rel(opened)}, closed ${f.rel(closed)})`,
    );
    const g = s.gate;
    const approvals = new Set((g?.approvals ?? []).map((d) => d.by)).size;
    const decidedBy = (g as { decidedBy?: string } | undefined)?.decidedBy;
    const looksTimedOut =
      g?.outcome === 'timed_out' ||
      (g?.outcome === 'rejected' && g.rejections.length === 0) ||
      (g?.outcome === 'approved' && approvals < spec.gate.required && timeoutPolicy(spec.gate) === 'approve');
    const byDeadline = decidedBy !== undefined ? decidedBy === 'deadline' : looksTimedOut;
    if (!byDeadline) continue;
    v.check('gate-deadline', Math.abs(waited - deadline) <= TOLERANCE.deadline, () =>
      `gate ${s.id} was settled ${g?.outcome} by its ${spec.gate?.deadline} deadline after ${(waited / 3_600_000).toFixed(3)} h open (held time excluded)`,
    );
  }
}

function checkPauseHoldsDispatch(f: Facts, v: Verdict): void {
  const { timeline } = f;
  if (!timeline?.complete) return;
  for (const p of timeline.paused()) {
    const started = f.obs.events.filter((e) => e.kind === 'step' && e.attempt === 1 && e.serverTime > p.from + TOLERANCE.race && e.serverTime < p.to);
    v.check('pause-holds-dispatch', started.length === 0, () =>
      `${started.map((e) => `${e.step} started at ${f.rel(e.serverTime)}`).join(', ')} while paused from ${f.rel(p.from)} to ${f.rel(p.to)}`,
    );
  }
}

export function checkTiming(f: Facts, v: Verdict): void {
  checkReviewTimeout(f, v);
  checkGateDeadlines(f, v);
  checkPauseHoldsDispatch(f, v);
}
