/**
 * An approval gate's state: N of M approvals from allowed approvers, an absolute deadline that moves
 * by the time the review is held, reminders before it. The outcome is settled once: by the approvers,
 * or at the deadline by the `onTimeout` policy, and every decision after that is refused. Pure code.
 */
import { parseDuration } from '../src/definition/duration';
import type { GateSpec } from '../src/definition/schema';
import type { HeldTime } from './held-time';
import type { Decision, DecisionInput, GateStatus } from './types';

export type GateOutcome = NonNullable<GateStatus['outcome']>;

/** What the gate must do next, and when (epoch ms). */
export type GateTimer = { kind: 'reminder'; n: number; at: number } | { kind: 'deadline'; at: number };

export class GateController {
  private approvals: Decision[];
  private rejections: Decision[];
  private remindersSent: number;
  private escalated: boolean;
  private outcome: GateOutcome | undefined;
  private decidedBy: GateStatus['decidedBy'];
  private openedAtMs: number | undefined;
  private heldAtOpenMs: number;
  private held: Decision[];

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
    this.decidedBy = carried?.decidedBy;
    this.openedAtMs = carried?.openedAt ? Date.parse(carried.openedAt) : undefined;
    this.heldAtOpenMs = carried?.heldAtOpenMs ?? 0;
    this.held = carried?.held ?? [];
  }

  get required(): number {
    return this.spec.required ?? 1;
  }

  get decided(): GateOutcome | undefined {
    return this.outcome;
  }

  private get deadlineMs(): number | undefined {
    return this.spec.deadline ? parseDuration(this.spec.deadline) : undefined;
  }

  /** Opens the gate now (idempotent: a gate carried over keeps its opening time). */
  open(nowMs: number, held: HeldTime): void {
    if (this.openedAtMs !== undefined) return;
    this.openedAtMs = nowMs;
    this.heldAtOpenMs = held.total(nowMs);
  }

  /** Clears every decision and timer, for a retry of the review. */
  reset(): void {
    this.approvals = [];
    this.rejections = [];
    this.remindersSent = 0;
    this.escalated = false;
    this.outcome = undefined;
    this.decidedBy = undefined;
    this.openedAtMs = undefined;
    this.heldAtOpenMs = 0;
    this.held = [];
  }

  /** Keeps a decision sent before the gate opened (one per person, the latest; at most 50). */
  hold(decision: Decision): void {
    this.held = this.held.filter((d) => d.by !== decision.by);
    this.held.push(decision);
    if (this.held.length > 50) this.held.shift();
  }

  /**
   * Takes back what `by` gave that has not decided the gate: a held decision, or an approval while the gate
   * waits for more. What decided the gate stands. Returns what was taken back.
   */
  withdraw(by: string): Decision[] {
    const withdrawn = this.held.filter((d) => d.by === by);
    this.held = this.held.filter((d) => d.by !== by);
    if (!this.outcome) {
      withdrawn.push(...this.approvals.filter((d) => d.by === by));
      this.approvals = this.approvals.filter((d) => d.by !== by);
    }
    return withdrawn;
  }

  /** The held decisions, once: the gate applies them as it opens. */
  takeHeld(): Decision[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  deadlineAt(nowMs: number, held: HeldTime): number | undefined {
    const duration = this.deadlineMs;
    if (duration === undefined || this.openedAtMs === undefined) return undefined;
    return held.deadline(this.openedAtMs, duration, this.heldAtOpenMs, nowMs);
  }

  /** The next reminder or the deadline, whichever comes first; none once decided. */
  nextTimer(nowMs: number, held: HeldTime): GateTimer | undefined {
    if (this.outcome) return undefined;
    const deadline = this.deadlineAt(nowMs, held);
    if (deadline === undefined) return undefined;
    const offsets = (this.spec.reminders ?? []).map(parseDuration).sort((a, b) => b - a);
    const offset = offsets[this.remindersSent];
    if (offset !== undefined && offset > 0) return { kind: 'reminder', n: this.remindersSent + 1, at: deadline - offset };
    return { kind: 'deadline', at: deadline };
  }

  markReminded(): void {
    this.remindersSent += 1;
  }

  /** Settles the outcome at the deadline by the `onTimeout` policy, unless the approvers already did. */
  settleAtDeadline(): GateOutcome {
    if (this.outcome) return this.outcome;
    const policy = this.spec.onTimeout ?? 'reject';
    this.outcome = policy === 'approve' ? 'approved' : policy === 'reject' ? 'rejected' : 'timed_out';
    this.decidedBy = 'deadline';
    this.escalated = true;
    return this.outcome;
  }

  isAllowed(input: Pick<DecisionInput, 'by' | 'roles'>): boolean {
    return this.spec.approvers.some(
      (a) => a === '*' || a === input.by || (a.startsWith('role:') && (input.roles ?? []).includes(a.slice(5))),
    );
  }

  /** Why `input` may not decide this gate now, or undefined when it may. */
  refusal(input: DecisionInput): string | undefined {
    if (this.outcome) {
      const how = this.decidedBy === 'deadline' ? `at its deadline by the onTimeout policy (${this.spec.onTimeout ?? 'reject'})` : 'by its approvers';
      return `gate ${this.stepId} is already decided (${this.outcome}) ${how}; decisions are no longer accepted`;
    }
    if (!this.isAllowed(input)) return `${input.by} may not decide gate ${this.stepId} (allowed: ${this.spec.approvers.join(', ')})`;
    return undefined;
  }

  record(decision: Decision): void {
    const list = decision.verdict === 'approve' ? this.approvals : this.rejections;
    const earlier = list.findIndex((d) => d.by === decision.by);
    if (earlier >= 0) list.splice(earlier, 1);
    list.push(decision);
    if (this.rejections.length > 0) this.outcome = 'rejected';
    else if (this.approvals.length >= this.required) this.outcome = 'approved';
    if (this.outcome) this.decidedBy = 'approvers';
  }

  status(nowMs: number, held: HeldTime): GateStatus {
    const deadline = this.deadlineAt(nowMs, held);
    return {
      approvers: this.spec.approvers,
      required: this.required,
      approvals: [...this.approvals],
      rejections: [...this.rejections],
      outcome: this.outcome,
      decidedBy: this.decidedBy,
      deadlineRemainingMs: deadline === undefined || this.outcome ? undefined : Math.max(0, deadline - nowMs),
      deadlineAt: deadline === undefined ? undefined : new Date(deadline).toISOString(),
      openedAt: this.openedAtMs === undefined ? undefined : new Date(this.openedAtMs).toISOString(),
      heldAtOpenMs: this.openedAtMs === undefined ? undefined : this.heldAtOpenMs,
      remindersSent: this.remindersSent,
      escalated: this.escalated,
      ...(this.held.length > 0 ? { held: [...this.held] } : {}),
    };
  }
}
