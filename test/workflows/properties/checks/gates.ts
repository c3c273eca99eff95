/**
 * Gates: an acknowledged decision is never overturned, decisions on a gate that is not open (or whose
 * outcome is settled) are refused, allowed approvers are heard on an open gate, and every gate's final
 * outcome follows from its decisions and its deadline policy.
 */
import type { Decision, GateStatus, StepStatus } from '../../../../workflows/types';
import { APPROVERS, timeoutPolicy, type Person } from '../model';
import type { MessageRecord } from '../observation';
import { ACTIVE_STATES, FINISHED_STEP_STATES, type Facts } from './facts';
import { TOLERANCE, type Verdict } from './verdict';

interface DecisionRecord extends MessageRecord {
  message: Extract<MessageRecord['message'], { kind: 'decide' }>;
}

function isDecision(r: MessageRecord): r is DecisionRecord {
  return r.message.kind === 'decide';
}

const distinct = (list: Decision[] | undefined) => new Set((list ?? []).map((d) => d.by)).size;

function gateOf(r: DecisionRecord): string | undefined {
  if (r.message.step) return r.message.step;
  const list = r.message.verdict === 'approve' ? r.gate?.approvals : r.gate?.rejections;
  return [...(list ?? [])].reverse().find((d) => d.by === r.message.by)?.step;
}

function includes(gate: GateStatus | undefined, by: Person, verdict: 'approve' | 'reject'): boolean {
  return ((verdict === 'approve' ? gate?.approvals : gate?.rejections) ?? []).some((d) => d.by === by);
}

function checkAcknowledged(f: Facts, v: Verdict, r: DecisionRecord, earlier: DecisionRecord[]): void {
  const { by, verdict } = r.message;
  const id = gateOf(r);
  const g = r.gate;
  const label = `${verdict}Gate by ${by} on ${id ?? '(unnamed)'} (message #${r.index}, ${f.rel(r.sentAt)})`;
  v.check('decision-by-allowed-approver', APPROVERS.includes(by), () => `${label} was acknowledged`);
  v.check('acknowledged-decision-stands', includes(g, by, verdict), () => `${label} returned a gate without that decision: ${JSON.stringify(g)}`);
  if (verdict === 'approve') {
    const settles = distinct(g?.approvals) >= (g?.required ?? 1) && (g?.rejections.length ?? 0) === 0;
    v.check('gate-settles-on-decisions', (g?.rejections.length ?? 0) === 0 && g?.outcome === (settles ? 'approved' : undefined), () =>
      `${label} returned outcome ${g?.outcome} with ${distinct(g?.approvals)} of ${g?.required} approvals and ${g?.rejections.length} rejections`,
    );
  } else {
    v.check('gate-settles-on-decisions', g?.outcome === 'rejected', () => `${label} returned outcome ${g?.outcome}`);
  }
  const heard = [...((verdict === 'approve' ? g?.approvals : g?.rejections) ?? [])].reverse().find((d) => d.by === by);
  const due = g?.deadlineAt ? Date.parse(g.deadlineAt) : Number.NaN;
  v.check('no-decision-after-deadline', !heard || !Number.isFinite(due) || Date.parse(heard.at) <= due, () =>
    `${label} was recorded at ${heard?.at}, after the gate's deadline ${g?.deadlineAt}`,
  );
  if (!id) return;

  // A gate settled by an earlier acknowledged decision (and not re-opened by a retry since) refuses more.
  const settledBy = earlier.find((e) => gateOf(e) === id && e.gate?.outcome !== undefined && !f.resetBetween(id, e.index, r.index));
  v.check('no-decision-after-settled', !settledBy, () =>
    `${label} was acknowledged after message #${settledBy?.index} had settled the gate ${settledBy?.gate?.outcome}`,
  );
  const before = r.pre?.steps.find((s) => s.id === id);
  if (before) {
    v.check('decision-on-open-gate-only', !FINISHED_STEP_STATES.includes(before.state), () => `${label} was acknowledged while the gate was ${before.state}`);
  }
  if (r.pre) {
    const pre = r.pre;
    const open = ACTIVE_STATES.includes(pre.state) && (pre.phase === undefined || pre.phase === 'running');
    v.check('decision-on-open-gate-only', open, () => `${label} was acknowledged while the review was ${pre.state}${pre.phase ? ` (phase ${pre.phase})` : ''}`);
  }

  if (f.resetAfter(id, r.index) || !f.status) return;
  const final = f.step(id);
  v.check('acknowledged-decision-stands', includes(final?.gate, by, verdict), () =>
    `${label} is missing from the gate's final decisions: ${JSON.stringify(final?.gate)}`,
  );
  if (g?.outcome) {
    const want = g.outcome === 'approved' ? 'succeeded' : 'failed';
    v.check('acknowledged-decision-stands', final?.gate?.outcome === g.outcome && final?.state === want, () =>
      `${label} settled the gate ${g.outcome}, but it ended ${final?.state} with outcome ${final?.gate?.outcome}`,
    );
  }
  if (verdict === 'reject') {
    v.check('acknowledged-decision-stands', f.outcome === undefined || f.outcome === 'rejected', () => `${label} was acknowledged, but the review ended ${f.outcome}`);
  }
}

/**
 * The gate's deadline fell before the decision arrived (the status was read just before it): its
 * outcome was settled by its `onTimeout` policy, and later decisions are refused.
 */
function deadlineSettled(gate: StepStatus | undefined, r: DecisionRecord): boolean {
  const due = gate?.gate?.deadlineAt ? Date.parse(gate.gate.deadlineAt) : Number.NaN;
  return Number.isFinite(due) && due <= r.sentAt + TOLERANCE.race && /deadline/.test(r.detail ?? '');
}

/** An allowed approver deciding a gate the status showed open must be heard, unless the review's outcome was fixed meanwhile. */
function checkRefused(f: Facts, v: Verdict, r: DecisionRecord): void {
  const { by, step } = r.message;
  if (!step || !APPROVERS.includes(by) || !r.pre || !ACTIVE_STATES.includes(r.pre.state)) return;
  if (r.pre.phase !== undefined && r.pre.phase !== 'running') return;
  const gate = r.pre.steps.find((s) => s.id === step);
  if (gate?.state !== 'awaiting_approval' || gate.gate?.outcome !== undefined) return;
  if (r.message.verdict === 'approve' && includes(gate.gate, by, 'approve')) return;
  // The review's outcome may have been decided between the status query and the update (seen in its
  // decisive events, or as a change to a decided state if a later retry re-ran what decided it).
  const inWindow = (at: number) => at >= r.queriedAt - TOLERANCE.race && at <= r.sentAt + TOLERANCE.race;
  const raced = f.decisive.some((e) => inWindow(e.at)) || (f.timeline?.decidedAt() ?? []).some(inWindow) || deadlineSettled(gate, r);
  v.check('open-gate-hears-approvers', raced, () =>
    `${r.message.verdict}Gate by ${by} on ${step} (message #${r.index}, ${f.rel(r.sentAt)}) was refused while the gate was open${r.pre?.state === 'paused' ? ' (review paused)' : ''}: ${r.detail}`,
  );
}

function checkFinalGates(f: Facts, v: Verdict): void {
  for (const spec of f.c.pipeline.steps) {
    const s = f.step(spec.id);
    if (!spec.gate || !s) continue;
    const g = s.gate;
    const policy = timeoutPolicy(spec.gate);
    const strangers = [...(g?.approvals ?? []), ...(g?.rejections ?? [])].filter((d) => !APPROVERS.includes(d.by as Person));
    v.check('decision-by-allowed-approver', strangers.length === 0, () => `gate ${s.id} counts decisions by ${strangers.map((d) => d.by).join(', ')}`);
    const outcome = g?.outcome;
    const stateFits =
      s.state === 'succeeded' ? outcome === 'approved' : s.state === 'failed' ? outcome === 'rejected' || outcome === 'timed_out' : outcome === undefined;
    v.check('gate-consistent', stateFits, () => `gate ${s.id} is ${s.state} with outcome ${outcome}`);
    const approvals = distinct(g?.approvals);
    const rejections = g?.rejections.length ?? 0;
    const required = spec.gate.required;
    const fits =
      outcome === undefined ||
      (outcome === 'approved' && ((approvals >= required && rejections === 0) || policy === 'approve')) ||
      (outcome === 'rejected' && (rejections > 0 || policy === 'reject')) ||
      (outcome === 'timed_out' && policy === 'fail' && rejections === 0 && approvals < required);
    v.check('gate-consistent', fits, () =>
      `gate ${s.id} (required ${required}, deadline ${spec.gate?.deadline ?? 'none'}, onTimeout ${policy ?? '-'}) ended ${outcome} with ${approvals} approvals and ${rejections} rejections`,
    );
    v.check('no-decision-after-settled', !(rejections > 0 && approvals >= required), () =>
      `gate ${s.id} holds ${approvals} approvals (required ${required}) and ${rejections} rejections: one of them came after it was settled`,
    );
  }
}

/** Every decision in the status was sent by an allowed approver and not refused. */
function checkRecordedDecisions(f: Facts, v: Verdict): void {
  for (const d of f.status?.decisions ?? []) {
    const sent = f.obs.messages.some(
      (r) =>
        isDecision(r) &&
        r.message.by === d.by &&
        r.message.verdict === d.verdict &&
        (r.message.step === undefined || r.message.step === d.step) &&
        (r.answer === 'ack' || r.answer === 'sent' || r.answer === 'error'),
    );
    v.check('decisions-were-sent', sent && APPROVERS.includes(d.by as Person), () => `the status records ${d.verdict} by ${d.by} on ${d.step}, which was not sent or was refused`);
  }
}

export function checkGates(f: Facts, v: Verdict): void {
  const decisions = f.obs.messages.filter(isDecision).filter((r) => r.message.via === 'update');
  decisions.forEach((r, i) => {
    if (r.answer === 'ack') checkAcknowledged(f, v, r, decisions.slice(0, i).filter((e) => e.answer === 'ack'));
    if (r.answer === 'refused') checkRefused(f, v, r);
  });
  checkFinalGates(f, v);
  checkRecordedDecisions(f, v);
}
