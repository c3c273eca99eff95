/**
 * The review's states over workflow time, rebuilt from its reported transitions: how long its clock ran
 * (paused time and the retry window excluded), when it was paused, and when a budget ran out.
 */
import type { ReviewState } from '../../../workflows/types';
import type { ObservedStatus } from './observation';

export interface Interval {
  state: ReviewState;
  from: number;
  to: number;
}

/** States in which the review's own timeout runs down. */
const CLOCK_STATES: readonly ReviewState[] = ['pending', 'running', 'awaiting_approval'];
const CLOSED_STATES: readonly ReviewState[] = ['completed', 'failed', 'rejected', 'cancelled'];

function overlap(intervals: Interval[], from: number, to: number): number {
  return intervals.reduce((sum, i) => sum + Math.max(0, Math.min(i.to, to) - Math.max(i.from, from)), 0);
}

export class Timeline {
  readonly intervals: Interval[];
  /** False when continue-as-new trimmed the oldest transitions: times computed from them would be wrong. */
  readonly complete: boolean;

  constructor(status: ObservedStatus, endMs?: number) {
    const start = Date.parse(status.startedAt);
    const transitions = status.transitions;
    this.complete = Number.isFinite(start) && !status.transitionsDropped && (transitions.length === 0 || transitions[0]?.from === 'pending');
    const intervals: Interval[] = [];
    let state: ReviewState = 'pending';
    let at = start;
    for (const change of transitions) {
      const next = Date.parse(change.at);
      intervals.push({ state, from: at, to: next });
      state = change.to;
      at = next;
    }
    const end = Math.max(at, status.endedAt ? Date.parse(status.endedAt) : at, endMs ?? at);
    intervals.push({ state, from: at, to: end });
    this.intervals = intervals;
  }

  get start(): number {
    return this.intervals[0]?.from ?? 0;
  }

  /** Time the review's timeout ran between its start and `until`. */
  clockMs(until = Number.POSITIVE_INFINITY): number {
    let total = 0;
    for (const i of this.intervals) {
      if (!CLOCK_STATES.includes(i.state)) continue;
      total += Math.max(0, Math.min(i.to, until) - i.from);
    }
    return total;
  }

  /** When the review's clock reached `budgetMs`, if it did. */
  clockReached(budgetMs: number): number | undefined {
    let total = 0;
    for (const i of this.intervals) {
      if (!CLOCK_STATES.includes(i.state)) continue;
      const length = i.to - i.from;
      if (total + length >= budgetMs) return i.from + (budgetMs - total);
      total += length;
    }
    return undefined;
  }

  /** Paused time overlapping [from, to]. */
  pausedMs(from: number, to: number): number {
    return overlap(this.paused(), from, to);
  }

  /** Time held (paused, or failed and waiting for a retry) overlapping [from, to]: deadlines do not run then. */
  heldMs(from: number, to: number): number {
    return overlap(
      this.intervals.filter((i) => !CLOCK_STATES.includes(i.state)),
      from,
      to,
    );
  }

  paused(): Interval[] {
    return this.intervals.filter((i) => i.state === 'paused');
  }

  /** The first time the review entered a closing state (failed, rejected, cancelled or completed). */
  firstClosing(): { state: ReviewState; at: number } | undefined {
    const i = this.intervals.find((x) => CLOSED_STATES.includes(x.state));
    return i ? { state: i.state, at: i.from } : undefined;
  }

  /** Changes out of `failed` back into an active state: accepted retries that took effect. */
  leftFailed(): number {
    let count = 0;
    for (let k = 1; k < this.intervals.length; k++) {
      const prev = this.intervals[k - 1] as Interval;
      const cur = this.intervals[k] as Interval;
      if (prev.state === 'failed' && !CLOSED_STATES.includes(cur.state)) count += 1;
    }
    return count;
  }

  /** Times the review entered a decided state (failed, rejected, cancelled or completed). */
  decidedAt(): number[] {
    return this.intervals.filter((i, k) => k > 0 && CLOSED_STATES.includes(i.state)).map((i) => i.from);
  }

  /** Times the review entered `failed`. */
  failedAt(): number[] {
    return this.intervals.filter((i) => i.state === 'failed').map((i) => i.from);
  }
}
