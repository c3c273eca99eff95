// Frozen copy of the first workflow version; see review-v1.ts.
/** An approval gate: N of M approvals from allowed approvers, a pausable deadline, reminders and escalation. */
import { parseDuration } from '../../src/definition/duration';
import type { GateSpec } from '../../src/definition/schema';
import { pausableWait, type Budget } from './pausable-wait';
import type { Decision, DecisionInput, GateStatus } from './types';

export type GateOutcome = 'approved' | 'rejected' | 'timed_out' | 'interrupted';

export interface GateHooks {
  paused(): boolean;
  /** True when the gate should stop waiting and keep its state (continue-as-new). */
  interrupted(): boolean;
  onChange(): void;
  remind(n: number): Promise<void>;
  escalate(): Promise<void>;
}

export class GateController {
  private approvals: Decision[];
  private rejections: Decision[];
  private budget: Budget;
  private remindersSent: number;
  private escalated: boolean;
  private outcome: GateStatus['outcome'];

  constructor(
    readonly stepId: string,
    readonly spec: GateSpec,
    carried?: GateStatus,
  ) {
    this.approvals = carried?.approvals ?? [];
    this.rejections = carried?.rejections ?? [];
    this.remindersSent = carried?.remindersSent ?? 0;
    this.escalated = carried?.escalated ?? false;
    this.outcome = carried?.outcome;
    this.budget = { remainingMs: carried?.deadlineRemainingMs ?? this.deadlineMs() };
  }

  private deadlineMs(): number {
    return this.spec.deadline ? parseDuration(this.spec.deadline) : Number.POSITIVE_INFINITY;
  }

  get required(): number {
    return this.spec.required ?? 1;
  }

  reset(): void {
    this.approvals = [];
    this.rejections = [];
    this.remindersSent = 0;
    this.escalated = false;
    this.outcome = undefined;
    this.budget = { remainingMs: this.deadlineMs() };
  }

  status(): GateStatus {
    return {
      approvers: this.spec.approvers,
      required: this.required,
      approvals: [...this.approvals],
      rejections: [...this.rejections],
      outcome: this.outcome,
      deadlineRemainingMs: Number.isFinite(this.budget.remainingMs) ? this.budget.remainingMs : undefined,
      remindersSent: this.remindersSent,
      escalated: this.escalated,
    };
  }

  isAllowed(input: Pick<DecisionInput, 'by' | 'roles'>): boolean {
    return this.spec.approvers.some(
      (a) => a === '*' || a === input.by || (a.startsWith('role:') && (input.roles ?? []).includes(a.slice(5))),
    );
  }

  assertCanDecide(input: DecisionInput): void {
    if (this.outcome) throw new Error(`gate ${this.stepId} is already decided (${this.outcome})`);
    if (!this.isAllowed(input)) {
      throw new Error(`${input.by} may not decide gate ${this.stepId} (allowed: ${this.spec.approvers.join(', ')})`);
    }
  }

  record(decision: Decision): void {
    const list = decision.verdict === 'approve' ? this.approvals : this.rejections;
    const earlier = list.findIndex((d) => d.by === decision.by);
    if (earlier >= 0) list.splice(earlier, 1);
    list.push(decision);
    if (this.rejections.length > 0) this.outcome = 'rejected';
    else if (this.approvals.length >= this.required) this.outcome = 'approved';
  }

  /** Reminder offsets before the deadline, latest first in time order of firing. */
  private reminderOffsets(): number[] {
    return (this.spec.reminders ?? []).map(parseDuration).sort((a, b) => b - a);
  }

  async wait(hooks: GateHooks): Promise<GateOutcome> {
    const offsets = this.reminderOffsets();
    const decided = () => this.outcome !== undefined || hooks.interrupted();
    for (;;) {
      const nextReminder = offsets[this.remindersSent];
      if (nextReminder !== undefined && Number.isFinite(this.budget.remainingMs)) {
        const untilReminder: Budget = { remainingMs: this.budget.remainingMs - nextReminder };
        const before = untilReminder.remainingMs;
        const result = await pausableWait(untilReminder, decided, hooks.paused);
        this.budget.remainingMs -= before - untilReminder.remainingMs;
        if (result === 'elapsed') {
          this.remindersSent += 1;
          hooks.onChange();
          await hooks.remind(this.remindersSent);
          continue;
        }
      } else {
        const result = await pausableWait(this.budget, decided, hooks.paused);
        if (result === 'elapsed') {
          this.escalated = true;
          hooks.onChange();
          await hooks.escalate();
          const policy = this.spec.onTimeout ?? 'reject';
          this.outcome = policy === 'approve' ? 'approved' : policy === 'reject' ? 'rejected' : 'timed_out';
          return this.outcome;
        }
      }
      if (this.outcome) return this.outcome;
      if (hooks.interrupted()) return 'interrupted';
    }
  }
}
