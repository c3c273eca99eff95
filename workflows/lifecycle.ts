/**
 * The review lifecycle, in one place: a phase plus an orthogonal `paused` flag. Every message and every
 * step outcome goes through `applyLifecycle`, which never throws: an event the current phase does not
 * accept comes back refused, with the reason, and the caller logs it or returns it to whoever sent it.
 * Pure code (no Temporal imports), so it is unit- and property-tested directly.
 */
import type { CarriedLifecycle, ReviewOutcome, ReviewPhase, ReviewState } from './types';

export type Lifecycle = CarriedLifecycle;

export type LifecycleEvent =
  | { type: 'pause' }
  | { type: 'resume' }
  /** A step failed (not tolerated), a gate timed out with `onTimeout: fail`, or the review timed out. */
  | { type: 'fail'; reason: string }
  | { type: 'reject'; reason: string }
  | { type: 'cancel'; reason: string }
  /** Nothing is left to run and nothing was decided: the review completed. */
  | { type: 'finish' }
  /** Every running step has stopped; `retryWindow`: the review stays open for a `retry` after a failure. */
  | { type: 'settled'; retryWindow: boolean }
  | { type: 'retry' }
  | { type: 'retry_expired' }
  | { type: 'compensated' };

export type LifecycleEventType = LifecycleEvent['type'];

export type Applied = { ok: true; next: Lifecycle; changed: boolean } | { ok: false; reason: string };

/** One row of the transition table: what an event does in a phase. `guard` names the condition, for the README. */
export interface LifecycleRule {
  from: ReviewPhase;
  on: LifecycleEventType;
  to: ReviewPhase;
  guard?: string;
}

/** The table (pause/resume only flip the flag in every phase but `compensating` and `closed`). */
export const LIFECYCLE_RULES: readonly LifecycleRule[] = [
  { from: 'running', on: 'finish', to: 'closed' },
  { from: 'running', on: 'fail', to: 'settling' },
  { from: 'running', on: 'reject', to: 'settling' },
  { from: 'running', on: 'cancel', to: 'settling' },
  { from: 'settling', on: 'settled', to: 'retry_window', guard: 'failed with a retry window' },
  { from: 'settling', on: 'settled', to: 'compensating', guard: 'otherwise' },
  { from: 'retry_window', on: 'retry', to: 'running' },
  { from: 'retry_window', on: 'retry_expired', to: 'compensating' },
  { from: 'retry_window', on: 'cancel', to: 'compensating' },
  { from: 'compensating', on: 'compensated', to: 'closed' },
];

const OUTCOME_OF: Partial<Record<LifecycleEventType, ReviewOutcome>> = {
  finish: 'completed',
  fail: 'failed',
  reject: 'rejected',
  cancel: 'cancelled',
};

export const INITIAL_LIFECYCLE: Lifecycle = { phase: 'running', paused: false };

const PAUSABLE: readonly ReviewPhase[] = ['running', 'settling', 'retry_window'];

function refuse(lifecycle: Lifecycle, event: LifecycleEvent): Applied {
  const where = lifecycle.outcome ? `${lifecycle.phase} (${lifecycle.outcome})` : lifecycle.phase;
  const why: Partial<Record<LifecycleEventType, string>> = {
    retry: `only a failed review waiting for a retry can be retried; this one is ${where}`,
    pause: `a review that is ${where} cannot be paused`,
    cancel: `the review is already ${where}`,
    fail: `the review is already ${where}`,
    reject: `the review is already ${where}`,
  };
  return { ok: false, reason: why[event.type] ?? `${event.type} does not apply to a review that is ${where}` };
}

function reasonOf(event: LifecycleEvent): string | undefined {
  return 'reason' in event ? event.reason : undefined;
}

export function applyLifecycle(lifecycle: Lifecycle, event: LifecycleEvent): Applied {
  if (event.type === 'pause' || event.type === 'resume') {
    if (!PAUSABLE.includes(lifecycle.phase)) return refuse(lifecycle, event);
    const paused = event.type === 'pause';
    return { ok: true, next: { ...lifecycle, paused }, changed: paused !== lifecycle.paused };
  }
  const rules = LIFECYCLE_RULES.filter((r) => r.from === lifecycle.phase && r.on === event.type);
  if (rules.length === 0) return refuse(lifecycle, event);
  const retryWindow = event.type === 'settled' && event.retryWindow && lifecycle.outcome === 'failed';
  const rule = rules.length === 1 ? rules[0] : rules.find((r) => (r.to === 'retry_window') === retryWindow);
  if (!rule) return refuse(lifecycle, event);
  const next: Lifecycle = { ...lifecycle, phase: rule.to };
  const outcome = OUTCOME_OF[event.type];
  if (outcome) {
    next.outcome = outcome;
    next.reason = reasonOf(event);
  }
  if (event.type === 'cancel' && lifecycle.outcome === 'failed') next.reason = `${event.reason} (while waiting for a retry after: ${lifecycle.reason})`;
  if (event.type === 'retry') {
    delete next.outcome;
    delete next.reason;
  }
  if (next.phase === 'closed') next.paused = false;
  return { ok: true, next, changed: true };
}

/** Whether time does not count against the review's deadlines now. */
export function isHeld(lifecycle: Lifecycle): boolean {
  return lifecycle.phase === 'retry_window' || (lifecycle.paused && lifecycle.phase === 'running');
}

/** Whether new steps may start. */
export function mayDispatch(lifecycle: Lifecycle): boolean {
  return lifecycle.phase === 'running' && !lifecycle.paused;
}

/** The state people see: the decided outcome first, then paused, then whether only gates are waiting. */
export function displayState(lifecycle: Lifecycle, onlyGatesWaiting: boolean): ReviewState {
  if (lifecycle.outcome) return lifecycle.outcome;
  if (lifecycle.paused) return 'paused';
  return onlyGatesWaiting ? 'awaiting_approval' : 'running';
}

/** The table as a Mermaid state diagram (the README shows it; a test keeps the two equal). */
export function lifecycleDiagram(): string {
  const lines = LIFECYCLE_RULES.map((r) => `  ${r.from} --> ${r.to}: ${r.on}${r.guard ? ` [${r.guard}]` : ''}`);
  return ['stateDiagram-v2', '  [*] --> running', ...lines, '  closed --> [*]'].join('\n');
}
