/**
 * The review's messages. Updates validate first and refuse with a reason the caller sees; signals,
 * which cannot answer, apply the same checks and leave a notice in the status when they are ignored.
 */
import { ApplicationFailure, log, patched, setHandler } from '@temporalio/workflow';
import { DecisionInputSchema, PauseInputSchema, RetryInputSchema, StepProgressSchema, WithdrawInputSchema, describeZodError } from './message-schemas';
import {
  approveSignal,
  approveUpdate,
  cancelReasonSignal,
  pauseSignal,
  rejectSignal,
  rejectUpdate,
  resumeSignal,
  retryUpdate,
  statusQuery,
  stepProgressSignal,
  withdrawSignal,
} from './messages';
import { settleGateStep } from './gate-runner';
import { applyLifecycle } from './lifecycle';
import { DECISION_SETTLES_GATE_PATCH } from './patches';
import type { GateController } from './gate';
import type { ReviewRun } from './review-run';
import type { Decision, DecisionInput, GateStatus, RetryAccepted, StepProgress } from './types';

type Verdict = Decision['verdict'];
type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

function gateFor(run: ReviewRun, stepId: string | undefined): Checked<GateController> {
  const gates = [...run.gates.keys()];
  if (stepId !== undefined) {
    const gate = run.gates.get(stepId);
    if (!gate) {
      const what = run.book.step(stepId) ? `step ${stepId} is not an approval gate` : `unknown step ${stepId}`;
      return { ok: false, reason: `${what} (gates: ${gates.join(', ') || 'none'})` };
    }
    const state = run.book.status(stepId)?.state;
    if (state === 'pending' || state === 'scheduled') {
      const needs = run.book.step(stepId)?.needs ?? [];
      return { ok: false, reason: `gate ${stepId} has not opened yet${needs.length ? ` (it waits for ${needs.join(', ')})` : ''}; decide once it is awaiting approval, or send the decision with hold to keep it until then` };
    }
    if (state !== 'awaiting_approval') {
      const decided = gate.decided ? gate.refusal({ step: stepId, by: '' }) : undefined;
      return { ok: false, reason: decided ?? `gate ${stepId} is not open (it is ${state})` };
    }
    return { ok: true, value: gate };
  }
  const open = gates.filter((id) => run.book.status(id)?.state === 'awaiting_approval' && !run.gates.get(id)?.decided);
  if (open.length === 1) return { ok: true, value: run.gates.get(open[0] as string) as GateController };
  const later = gates.filter((id) => ['pending', 'scheduled'].includes(run.book.status(id)?.state ?? ''));
  const notYet = later.length ? ` (${later.join(', ')} ${later.length === 1 ? 'has' : 'have'} not opened yet; send the decision with hold to keep it until then)` : '';
  return { ok: false, reason: open.length === 0 ? `no approval gate is open${notYet}` : `several gates are open (${open.join(', ')}): name one with "step"` };
}

/**
 * The gate a decision with `hold` is kept for: the named gate (or the only one) while it has not opened.
 * Undefined when the usual rules apply (the gate is open, or already past).
 */
function heldGate(run: ReviewRun, input: DecisionInput): Checked<GateController> | undefined {
  const waiting = (id: string) => ['pending', 'scheduled'].includes(run.book.status(id)?.state ?? '');
  let id = input.step;
  if (id === undefined) {
    const gates = [...run.gates.keys()];
    if (gates.some((g) => run.book.status(g)?.state === 'awaiting_approval')) return undefined;
    const later = gates.filter(waiting);
    if (later.length > 1) return { ok: false, reason: `several gates have not opened yet (${later.join(', ')}): name one with "step"` };
    id = later[0];
  }
  const gate = id === undefined ? undefined : run.gates.get(id);
  if (!gate || id === undefined || !waiting(id)) return undefined;
  if (!gate.isAllowed(input)) return { ok: false, reason: `${input.by} may not decide gate ${id} (allowed: ${gate.spec.approvers.join(', ')})` };
  return { ok: true, value: gate };
}

function checkDecision(run: ReviewRun, raw: unknown): Checked<{ input: DecisionInput; gate: GateController; held: boolean }> {
  const parsed = DecisionInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `invalid decision: ${describeZodError(parsed.error)}` };
  if (run.lifecycle.phase !== 'running') return { ok: false, reason: `the review is ${run.state}: decisions are no longer accepted` };
  const held = parsed.data.hold ? heldGate(run, parsed.data) : undefined;
  if (held) return held.ok ? { ok: true, value: { input: parsed.data, gate: held.value, held: true } } : held;
  const gate = gateFor(run, parsed.data.step);
  if (!gate.ok) return gate;
  const refusal = gate.value.refusal(parsed.data);
  return refusal ? { ok: false, reason: refusal } : { ok: true, value: { input: parsed.data, gate: gate.value, held: false } };
}

function decide(run: ReviewRun, verdict: Verdict, input: DecisionInput, gate: GateController, held: boolean): GateStatus {
  const decision: Decision = { step: gate.stepId, verdict, by: input.by, comment: input.comment, at: new Date().toISOString() };
  if (held) {
    gate.hold({ ...decision, ...(input.roles?.length ? { roles: input.roles } : {}) });
    log.info('gate decision held until the gate opens', { step: gate.stepId, verdict, by: input.by });
    run.changed();
    return gate.status(Date.now(), run.held);
  }
  gate.record(decision);
  run.recordDecision(decision);
  log.info('gate decision', { step: gate.stepId, verdict, by: input.by });
  const status = gate.status(Date.now(), run.held);
  const step = run.book.step(gate.stepId);
  if (gate.decided && step && (run.promptDispatch || patched(DECISION_SETTLES_GATE_PATCH))) settleGateStep(run, step);
  return status;
}

/** A refusal as the caller of an update sees it (an ApplicationFailure fails the update, not the workflow task). */
function mustPass<T>(checked: Checked<T>): T {
  if (!checked.ok) throw ApplicationFailure.create({ message: checked.reason, type: 'Refused', nonRetryable: true });
  return checked.value;
}

function checkRetry(run: ReviewRun, raw: unknown): Checked<string | undefined> {
  const parsed = RetryInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `invalid retry: ${describeZodError(parsed.error)}` };
  const allowed = applyLifecycle(run.lifecycle, { type: 'retry' });
  if (!allowed.ok) return { ok: false, reason: allowed.reason };
  const from = parsed.data?.from;
  if (from !== undefined && !run.book.step(from)) return { ok: false, reason: `unknown step ${from}` };
  return { ok: true, value: from };
}

/**
 * The validator's check of a retry: also refused once the review's `timeout` has run out, as the retried
 * review would time out at once. Only new retries are validated, so a history that accepted such a retry
 * replays as it was written.
 */
function checkNewRetry(run: ReviewRun, raw: unknown): Checked<string | undefined> {
  const checked = checkRetry(run, raw);
  const left = run.timeoutLeftMs();
  if (!checked.ok || left === undefined || left > 0) return checked;
  return {
    ok: false,
    reason: `the review's timeout (${run.pipeline.timeout}) has run out (paused time and the retry window excluded), so a retry would time out at once; start a new review instead`,
  };
}

/** `from`, everything downstream of it, and every step that did not succeed (with what is downstream of those). */
export function stepsToRerun(run: ReviewRun, from: string | undefined): string[] {
  const roots = run.book.all().filter((s) => s.state !== 'succeeded').map((s) => s.id);
  if (from !== undefined) roots.push(from);
  return run.book.downstream(roots);
}

function acceptRetry(run: ReviewRun, from: string | undefined): RetryAccepted {
  const rerun = stepsToRerun(run, from);
  run.book.reset(rerun, (s) => run.tierOf(s));
  for (const id of rerun) run.gates.get(id)?.reset();
  const again = new Set(rerun);
  const kept = run.undoOrder.filter((id) => !again.has(id));
  run.undoOrder.splice(0, run.undoOrder.length, ...kept);
  run.apply({ type: 'retry' }, `retry of ${rerun.join(', ')}`);
  return { rerun };
}

function recordProgress(run: ReviewRun, progress: StepProgress): void {
  const status = run.book.status(progress.step);
  if (!status || !['running', 'retrying'].includes(status.state)) return;
  if (progress.event === 'attempt_failed') run.book.set(progress.step, 'retrying', { attempts: progress.attempt, error: progress.error });
  else run.book.set(progress.step, 'running', { attempts: Math.max(status.attempts, progress.attempt) });
  run.changed();
}

function signalDecision(run: ReviewRun, verdict: Verdict, raw: unknown): void {
  const checked = checkDecision(run, raw);
  if (!checked.ok) return run.notice(`${verdict} signal ignored: ${checked.reason}`);
  decide(run, verdict, checked.value.input, checked.value.gate, checked.value.held);
}

function withdraw(run: ReviewRun, raw: unknown): void {
  const parsed = WithdrawInputSchema.safeParse(raw);
  if (!parsed.success) return run.notice(`withdraw signal ignored: ${describeZodError(parsed.error)}`);
  const { step, by, reason } = parsed.data;
  if (step !== undefined && !run.gates.has(step)) return run.notice(`withdraw signal ignored: unknown gate ${step} (gates: ${[...run.gates.keys()].join(', ') || 'none'})`);
  const why = reason ? ` (${reason})` : '';
  const taken = [...run.gates.values()].filter((g) => step === undefined || g.stepId === step).flatMap((g) => g.withdraw(by).map((d) => `${d.verdict === 'approve' ? 'approval' : 'rejection'} of gate ${g.stepId}`));
  if (taken.length === 0) return run.notice(`withdraw by ${by}${why}: nothing to take back (no held decision, and no approval of an undecided gate)`);
  log.info('decision withdrawn', { by, taken });
  run.notice(`${by} withdrew the ${taken.join(', ')}${why}`);
  run.changed();
}

function pauseOrResume(run: ReviewRun, type: 'pause' | 'resume', raw: unknown): void {
  const parsed = PauseInputSchema.safeParse(raw);
  if (!parsed.success) return run.notice(`${type} signal ignored: ${describeZodError(parsed.error)}`);
  const by = parsed.data?.by;
  const why = type === 'pause' ? (parsed.data?.reason ?? (by ? `paused by ${by}` : 'paused')) : by ? `resumed by ${by}` : 'resumed';
  const applied = run.apply({ type }, why);
  if (!applied.ok) run.notice(`${type} signal ignored: ${applied.reason}`);
}

function noteCancelReason(run: ReviewRun, raw: unknown): void {
  const parsed = PauseInputSchema.safeParse(raw);
  if (!parsed.success) return run.notice(`cancelReason signal ignored: ${describeZodError(parsed.error)}`);
  const { by, reason } = parsed.data ?? {};
  const text = [reason, by ? `cancelled by ${by}` : undefined].filter(Boolean).join(' · ');
  if (text === '') return;
  // The first cancel is the one that stops the review; a second one sent before it settles is noted beside it.
  if (run.cancelReason === undefined) run.cancelReason = text;
  else if (run.cancelReason !== text) run.notice(`another cancel was requested: ${text}`);
}

export function registerHandlers(run: ReviewRun): void {
  setHandler(statusQuery, () => run.snapshot());
  setHandler(cancelReasonSignal, (raw) => noteCancelReason(run, raw));
  setHandler(pauseSignal, (raw) => pauseOrResume(run, 'pause', raw));
  setHandler(resumeSignal, (raw) => pauseOrResume(run, 'resume', raw));
  setHandler(approveSignal, (raw) => signalDecision(run, 'approve', raw));
  setHandler(rejectSignal, (raw) => signalDecision(run, 'reject', raw));
  setHandler(withdrawSignal, (raw) => withdraw(run, raw));
  for (const [update, verdict] of [
    [approveUpdate, 'approve'],
    [rejectUpdate, 'reject'],
  ] as const) {
    setHandler(
      update,
      (input) => {
        const checked = mustPass(checkDecision(run, input));
        return decide(run, verdict, checked.input, checked.gate, checked.held);
      },
      { validator: (input) => void mustPass(checkDecision(run, input)) },
    );
  }
  setHandler(retryUpdate, (input) => acceptRetry(run, mustPass(checkRetry(run, input))), {
    validator: (input) => void mustPass(checkNewRetry(run, input)),
  });
  setHandler(stepProgressSignal, (raw) => {
    const parsed = StepProgressSchema.safeParse(raw);
    if (!parsed.success) return run.notice(`stepProgress signal ignored: ${describeZodError(parsed.error)}`);
    recordProgress(run, parsed.data);
  });
}
