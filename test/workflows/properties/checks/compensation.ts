/**
 * Compensation: a review that ends failed, rejected or cancelled runs the undo of every step that
 * succeeded exactly once, newest first, after every running step with an undo has settled; a completed review runs
 * none. A step with an undo whose activity completed counts as succeeded, even when the review was cancelled meanwhile.
 */
import type { StepEvent } from '../../../helpers/recording-activities';
import type { Facts } from './facts';
import type { Verdict } from './verdict';

function lastRetryOf(f: Facts, id: string): number | undefined {
  const retries = f.acceptedRetries.filter((r) => (r.rerun ?? []).includes(id));
  return retries[retries.length - 1]?.sentAt;
}

/**
 * Checked where it matters to compensation, on steps with an undo (a side effect that happened must be
 * undone). Steps without one are cancelled without waiting (TRY_CANCEL, as the README says): their late
 * result is discarded and the step stays cancelled.
 */
function checkCompletedActivities(f: Facts, v: Verdict): void {
  for (const spec of f.c.pipeline.steps) {
    if (!spec.task?.undo) continue;
    const since = lastRetryOf(f, spec.id) ?? Number.NEGATIVE_INFINITY;
    const runs = f.executions(spec.id).filter((e) => e.serverTime >= since);
    const last = runs[runs.length - 1];
    if (!last || last.outcome !== 'ok' || last.end === 0) continue;
    const state = f.step(spec.id)?.state;
    v.check('completed-activity-counts', state === 'succeeded', () =>
      `the ${last.kind} activity of ${spec.id} completed (attempt ${last.attempt}, started ${f.rel(last.serverTime)}) but the step ended ${state}`,
    );
  }
}

export function checkCompensation(f: Facts, v: Verdict): void {
  const { outcome, status } = f;
  if (!outcome || !status) return;
  checkCompletedActivities(f, v);

  const undos = f.obs.events.filter((e) => e.kind === 'undo').sort((a, b) => a.start - b.start);
  const expected =
    outcome === 'completed' ? [] : status.steps.filter((s) => s.state === 'succeeded' && f.spec(s.id)?.task?.undo).map((s) => s.id);
  const counts = new Map<string, number>();
  for (const e of undos) counts.set(e.step, (counts.get(e.step) ?? 0) + 1);
  // A step a retry re-ran after it had succeeded may or may not be compensated for that earlier success.
  const optional = f.c.pipeline.steps
    .filter((s) => s.task?.undo && lastRetryOf(f, s.id) !== undefined && f.executions(s.id).some((e) => e.outcome === 'ok'))
    .map((s) => s.id);
  const missing = expected.filter((id) => !counts.has(id));
  const extra = [...counts.keys()].filter((id) => !expected.includes(id) && (outcome === 'completed' || !optional.includes(id)));
  const repeated = [...counts.entries()].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`);
  v.check('undo-exactly-once', missing.length === 0 && extra.length === 0 && repeated.length === 0, () =>
    `review ${outcome}: expected undo of [${expected.join(', ')}], ran [${undos.map((e) => e.step).join(', ')}]` +
      `${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}${repeated.length ? `; repeated ${repeated.join(', ')}` : ''}`,
  );

  const endedAt = (id: string) => Date.parse(f.step(id)?.endedAt ?? '') || 0;
  const order = [...new Set(undos.map((e) => e.step))];
  const inversion = order.findIndex((id, i) => i > 0 && endedAt(id) > endedAt(order[i - 1] as string));
  v.check('undo-newest-first', inversion < 0, () =>
    `undo order ${order.join(', ')}, but ${order[inversion]} succeeded at ${f.rel(endedAt(order[inversion] as string))}, after ${order[inversion - 1]} at ${f.rel(endedAt(order[inversion - 1] as string))}`,
  );

  for (const id of expected) {
    const undo = f.step(id)?.undo;
    v.check('undo-recorded', undo?.state === 'succeeded', () => `${id} was compensated but its status says undo ${JSON.stringify(undo)}`);
  }

  if (undos.length > 0) {
    // Only steps with an undo are waited for; one without is cancelled without waiting (see above).
    const main = f.obs.events.filter((e: StepEvent) => (e.kind === 'step' || e.kind === 'fallback') && f.spec(e.step)?.task?.undo);
    const firstUndo = (undos[0] as StepEvent).start;
    const unsettled = main.filter((e) => e.end === 0 || e.end > firstUndo);
    v.check('compensation-after-settling', unsettled.length === 0, () =>
      `compensation began while ${unsettled.map((e) => `${e.step} (${e.kind} attempt ${e.attempt})`).join(', ')} still ran`,
    );
  }
}
