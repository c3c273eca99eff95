/**
 * Facts derived once per run and shared by the checks: the final status, the outcome as the client saw
 * it, accepted retries, and the decisive events (what can fix a review's outcome) with their times.
 */
import type { StepStatus } from '../../../../workflows/types';
import type { StepEvent } from '../../../helpers/recording-activities';
import { DURATIONS, failureDecides, type ReviewCase, type StepCase } from '../model';
import type { MessageRecord, Observation, ObservedStatus } from '../observation';
import { Timeline } from '../timeline';

export type Outcome = 'completed' | 'rejected' | 'failed' | 'cancelled';

export interface DecisiveEvent {
  kind: 'failed' | 'rejected' | 'cancelled';
  source: 'step' | 'gate' | 'cancel' | 'timeout';
  at: number;
  what: string;
}

export const ACTIVE_STATES = ['pending', 'running', 'awaiting_approval', 'paused'];
export const FINISHED_STEP_STATES = ['succeeded', 'failed', 'skipped', 'cancelled'];
export const BUSY_STEP_STATES = ['scheduled', 'running', 'retrying', 'awaiting_approval'];

export class Facts {
  readonly status: ObservedStatus | undefined;
  readonly outcome: Outcome | undefined;
  readonly timeline: Timeline | undefined;
  readonly acceptedRetries: MessageRecord[];
  /** Server time of the last accepted retry: what happened before belongs to an earlier attempt of the review. */
  readonly lastRetryAt: number;
  readonly cancel: MessageRecord | undefined;
  readonly decisive: DecisiveEvent[];

  constructor(
    readonly c: ReviewCase,
    readonly obs: Observation,
  ) {
    const o = obs.outcome;
    const fromResult = o.kind === 'completed' || o.kind === 'rejected' || o.kind === 'resolved-other' || o.kind === 'failed' ? o.status : undefined;
    this.status = obs.final ?? fromResult;
    this.outcome = o.kind === 'completed' || o.kind === 'rejected' || o.kind === 'failed' || o.kind === 'cancelled' ? o.kind : undefined;
    this.timeline = this.status ? new Timeline(this.status) : undefined;
    this.acceptedRetries = obs.messages.filter((r) => r.message.kind === 'retry' && r.answer === 'ack');
    this.lastRetryAt = Math.max(Number.NEGATIVE_INFINITY, ...this.acceptedRetries.map((r) => r.sentAt));
    this.cancel = obs.messages.find((r) => r.message.kind === 'cancel' && r.answer === 'sent');
    this.decisive = this.decisiveEvents();
  }

  spec(id: string): StepCase | undefined {
    return this.c.pipeline.steps.find((s) => s.id === id);
  }

  step(id: string): StepStatus | undefined {
    return this.status?.steps.find((s) => s.id === id);
  }

  /** Server time relative to the start, for messages: "+2h03m". */
  rel(at: number): string {
    return relative(at - this.obs.startedAt);
  }

  /** Whether the last run of a flaky step worked (it fails until the script repairs it). */
  readonly flakyWorked = (id: string): boolean => {
    const runs = this.obs.events.filter((e) => e.step === id && e.kind === 'step').sort((a, b) => a.start - b.start);
    const last = runs[runs.length - 1];
    return last === undefined || last.outcome === 'ok';
  };

  /** Main executions of a step (its own attempts and its fallback), in start order. */
  executions(id: string): StepEvent[] {
    return this.obs.events.filter((e) => e.step === id && (e.kind === 'step' || e.kind === 'fallback')).sort((a, b) => a.start - b.start);
  }

  /** Whether a retry accepted after message `index` re-ran `id` (which resets it). */
  resetAfter(id: string, index: number): boolean {
    return this.resetBetween(id, index, Number.POSITIVE_INFINITY);
  }

  /** Whether a retry accepted between messages `from` and `to` re-ran `id`. */
  resetBetween(id: string, from: number, to: number): boolean {
    return this.acceptedRetries.some((r) => r.index > from && r.index < to && (r.rerun ?? []).includes(id));
  }

  /** The earliest decisive events: those within the race tolerance of the first one. */
  firstDecisive(tolerance: number): DecisiveEvent[] {
    const first = this.decisive[0];
    return first ? this.decisive.filter((e) => e.at <= first.at + tolerance) : [];
  }

  private decisiveEvents(): DecisiveEvent[] {
    const events: DecisiveEvent[] = [];
    for (const s of this.status?.steps ?? []) {
      const spec = this.spec(s.id);
      const ended = s.endedAt ? Date.parse(s.endedAt) : Number.NaN;
      if (!spec || s.state !== 'failed' || !Number.isFinite(ended) || ended < this.lastRetryAt) continue;
      if (spec.task && failureDecides(spec.task)) events.push({ kind: 'failed', source: 'step', at: ended, what: `step ${s.id} failed` });
      if (spec.gate) {
        const timedOut = s.gate?.outcome === 'timed_out';
        events.push({ kind: timedOut ? 'failed' : 'rejected', source: 'gate', at: ended, what: `gate ${s.id} ${timedOut ? 'timed out' : 'rejected'}` });
      }
    }
    if (this.cancel && this.cancel.sentAt >= this.lastRetryAt) events.push({ kind: 'cancelled', source: 'cancel', at: this.cancel.sentAt, what: 'cancel sent' });
    const timeout = this.c.pipeline.timeout;
    if (timeout && this.acceptedRetries.length === 0 && this.timeline?.complete) {
      const due = this.timeline.clockReached(timeoutMs(this.c));
      if (due !== undefined) events.push({ kind: 'failed', source: 'timeout', at: due, what: `review timeout (${timeout}) due` });
    }
    return events.sort((a, b) => a.at - b.at);
  }
}

export function timeoutMs(c: ReviewCase): number {
  const text = c.pipeline.timeout;
  return text ? DURATIONS[text] : Number.POSITIVE_INFINITY;
}

export function relative(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(Math.round(ms));
  const d = Math.floor(rest / 86_400_000);
  rest -= d * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  return `${sign}${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!d && !h && !m) ? `${s.toFixed(s % 1 ? 1 : 0)}s` : ''}`;
}
