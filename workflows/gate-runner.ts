/** Waiting at an approval gate: decisions, reminders before the deadline, the deadline, escalation. */
import { CancellationScope, condition, isCancellation, log } from '@temporalio/workflow';
import type { Action, Step } from '../src/definition/schema';
import type { StepKind } from '../activities/types';
import type { GateController } from './gate';
import { reviewMetrics } from './metrics';
import type { ReviewRun } from './review-run';
import { callStep, conditionHolds, errorMessage } from './step-runner';

/**
 * A reminder or escalation runs beside the review: a slow notification never delays the deadline.
 * An escalation is not cut short when the review closes because of that very deadline.
 */
function launch(run: ReviewRun, step: Step, kind: StepKind, action: Action | undefined, label: string): void {
  if (!action) {
    log.info(`gate ${label}`, { step: step.id });
    return;
  }
  run.sideTasks += 1;
  const work = async () => {
    try {
      await callStep(run, step, kind, action, `${step.name ?? step.id} · ${label} · ${action.uses}`);
    } catch (err) {
      if (!isCancellation(err)) run.notice(`gate ${step.id}: ${label} failed: ${errorMessage(err)}`);
    }
  };
  const running = kind === 'escalation' ? CancellationScope.nonCancellable(work) : run.stepScope.run(work);
  void running
    .catch(() => undefined)
    .finally(() => {
      run.sideTasks -= 1;
      run.changed();
    });
}

/** Decisions sent with `hold` before the gate opened, checked as if they arrived now. */
function applyHeldDecisions(run: ReviewRun, gate: GateController): void {
  for (const { roles, ...decision } of gate.takeHeld()) {
    const refusal = gate.refusal({ step: decision.step, by: decision.by, ...(roles ? { roles } : {}) });
    if (refusal) {
      run.notice(`${decision.verdict} by ${decision.by}, held until gate ${gate.stepId} opened, was dropped: ${refusal}`);
      continue;
    }
    gate.record(decision);
    run.recordDecision(decision);
  }
}

/** Opens the gate (or waits on it again after continue-as-new) until its outcome is settled or the review stops. */
export async function runGate(run: ReviewRun, step: Step): Promise<void> {
  const gate = run.gates.get(step.id);
  if (!gate) return;
  if (step.if && run.book.status(step.id)?.state !== 'awaiting_approval' && !(await conditionHolds(run, step))) return;
  const now = Date.now();
  if (run.book.status(step.id)?.state !== 'awaiting_approval') {
    run.book.set(step.id, 'awaiting_approval', { startedAt: new Date(now).toISOString() });
  }
  gate.open(now, run.held);
  applyHeldDecisions(run, gate);
  run.changed();
  const stopped = () => run.lifecycle.phase !== 'running' || run.draining;
  const wake = () => gate.decided !== undefined || stopped() || run.held.isHeld;
  while (!gate.decided) {
    if (stopped()) return;
    if (run.held.isHeld) {
      await condition(() => gate.decided !== undefined || stopped() || !run.held.isHeld);
      continue;
    }
    const timer = gate.nextTimer(Date.now(), run.held);
    if (!timer) {
      await condition(wake);
      continue;
    }
    const wait = timer.at - Date.now();
    if (wait > 0) {
      const what = timer.kind === 'reminder' ? `reminder ${timer.n}` : `deadline (${gate.spec.deadline})`;
      await condition(wake, wait, { summary: `${step.id} ${what}` });
      continue;
    }
    if (timer.kind === 'reminder') {
      gate.markReminded();
      launch(run, step, 'reminder', gate.spec.remind, `reminder ${timer.n}`);
    } else {
      gate.settleAtDeadline();
      launch(run, step, 'escalation', gate.spec.escalate, 'escalation');
    }
    run.changed();
  }
  settleGateStep(run, step);
}

/**
 * Ends the gate's step once its outcome is settled, and with it the review when the gate rejected or
 * failed it. Called as soon as the outcome is known (by the decision that settled it, or at the deadline)
 * so nothing handled later in the same workflow task can overtake an outcome the caller was told of.
 */
export function settleGateStep(run: ReviewRun, step: Step): void {
  const gate = run.gates.get(step.id);
  const status = gate?.status(Date.now(), run.held);
  if (!gate || !status?.outcome || run.book.status(step.id)?.state !== 'awaiting_approval') return;
  const openedAt = Date.parse(status.openedAt ?? new Date().toISOString());
  reviewMetrics.gateWaited(run.pipeline.name, step.id, status.outcome, Date.now() - openedAt);
  const output = { outcome: status.outcome, decidedBy: status.decidedBy, decisions: status.approvals.concat(status.rejections) };
  // A deadline that settles the gate may wake a workflow task that sends no command; replay can fold that
  // task into the next one and see a later clock, so the gate ends at its deadline, not at "now".
  const endedAt = status.decidedBy === 'deadline' && status.deadlineAt ? status.deadlineAt : new Date().toISOString();
  if (status.outcome === 'approved') {
    run.stepSucceeded(step, { output, summary: `approved${status.decidedBy === 'deadline' ? ' at the deadline' : ''}` }, { endedAt });
    return;
  }
  const policy = gate.spec.onTimeout ?? 'reject';
  const by = status.rejections.map((d) => d.by).join(', ');
  const error =
    status.decidedBy === 'deadline'
      ? `no decision before the deadline (${gate.spec.deadline}); onTimeout: ${policy}`
      : `rejected by ${by}`;
  run.book.set(step.id, 'failed', { output, error, endedAt });
  run.changed();
  if (status.outcome === 'rejected') run.apply({ type: 'reject', reason: `gate ${step.id} ${error}` });
  else run.fail(`gate ${step.id}: ${error}`);
}
