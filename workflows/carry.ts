/**
 * What a review carries into its next run (continue-as-new): bounded, and in absolute times, so
 * deadlines and outcomes survive. Also reads what the first workflow version carried.
 */
import type { ReviewRun } from './review-run';
import type { LegacyCarriedState } from './legacy/types';
import type { CarriedState, ReviewWorkflowInput } from './types';
import { INITIAL_LIFECYCLE } from './lifecycle';
import { parseDuration } from '../src/definition/duration';

export type RestoredState = Omit<CarriedState, 'format'>;

export function carriedState(run: ReviewRun): CarriedState {
  const snapshot = run.snapshot();
  return {
    format: 2,
    lifecycle: { ...run.lifecycle },
    display: run.state,
    steps: snapshot.steps,
    decisions: [...run.decisions],
    decisionsDropped: run.decisionsDropped,
    transitions: [...run.transitions],
    transitionsDropped: run.transitionsDropped,
    notices: [...run.notices],
    startedAt: snapshot.startedAt,
    ...run.held.carried(),
    continuedAsNew: run.continuedAsNew + 1,
    undoOrder: [...run.undoOrder],
  };
}

function isCurrent(carried: unknown): carried is CarriedState {
  return typeof carried === 'object' && carried !== null && (carried as { format?: unknown }).format === 2;
}

/**
 * The first version carried a "remaining" timeout budget and per-gate remaining deadlines; they become
 * held time such that every deadline falls where it would have fallen.
 */
function fromLegacy(input: ReviewWorkflowInput, carried: LegacyCarriedState, nowMs: number): RestoredState {
  const startedAtMs = Date.parse(carried.startedAt);
  const timeoutMs = input.definition.timeout ? parseDuration(input.definition.timeout) : undefined;
  const heldMs =
    timeoutMs !== undefined && carried.reviewTimeoutRemainingMs !== undefined
      ? Math.max(0, nowMs + carried.reviewTimeoutRemainingMs - startedAtMs - timeoutMs)
      : 0;
  const steps = carried.steps.map((s) => {
    const spec = input.definition.steps.find((d) => d.id === s.id)?.gate;
    if (!s.gate || !spec?.deadline || s.gate.deadlineRemainingMs === undefined) return s;
    const openedAtMs = nowMs - (parseDuration(spec.deadline) - s.gate.deadlineRemainingMs);
    return { ...s, gate: { ...s.gate, openedAt: new Date(openedAtMs).toISOString(), heldAtOpenMs: heldMs } };
  });
  return {
    lifecycle: { ...INITIAL_LIFECYCLE, paused: carried.paused },
    display: carried.state,
    steps,
    decisions: carried.decisions,
    decisionsDropped: 0,
    transitions: carried.transitions,
    transitionsDropped: 0,
    notices: [],
    startedAt: carried.startedAt,
    heldMs,
    heldSince: carried.paused ? nowMs : undefined,
    continuedAsNew: carried.continuedAsNew,
    undoOrder: carried.undoOrder,
  };
}

export function restoredState(input: ReviewWorkflowInput, nowMs: number): RestoredState {
  const carried: unknown = input.carried;
  if (isCurrent(carried)) return carried;
  if (carried && typeof carried === 'object') return fromLegacy(input, carried as LegacyCarriedState, nowMs);
  return {
    lifecycle: { ...INITIAL_LIFECYCLE },
    display: 'pending',
    steps: [],
    decisions: [],
    decisionsDropped: 0,
    transitions: [],
    transitionsDropped: 0,
    notices: [],
    startedAt: new Date(nowMs).toISOString(),
    heldMs: 0,
    continuedAsNew: 0,
    undoOrder: [],
  };
}
