/**
 * The steps of one review and what can run next, maintained incrementally: each change touches the
 * step and its direct dependents only, so a dispatch pass costs O(changed steps), not O(all steps).
 * A step is ready once every step it needs has succeeded; it is skipped once one of them ended any
 * other way. A step whose `if:` uses a status function (success(), failure(), always(), cancelled())
 * is ready once every step it needs has settled, whatever the outcome: its condition decides.
 * Every change also keeps the step's `verdict` (what it found, beside its state) in step with its state
 * and output: state only, it changes no command the review sends.
 * Pure code (no Temporal imports).
 */
import { conditionUsesStatusFunction, type StepView } from '../src/definition/expressions';
import { buildGraph, type StepGraph } from '../src/definition/graph';
import type { Pipeline, Priority, Step } from '../src/definition/schema';
import { stepVerdict } from '../src/definition/verdict';
import { isStepFinished, stepTransitionProblem } from './state-machine';
import { PRIORITY_KEYS } from './step-options';
import type { StepState, StepStatus } from './types';

const WAITING: readonly StepState[] = ['pending', 'scheduled'];

/** A FIFO of step indexes that tolerates entries gone stale (the step changed state since it was queued). */
class ReadyQueue {
  private items: number[] = [];
  /** When each entry became ready, across the queues of one book. */
  private order: number[] = [];
  private head = 0;

  push(index: number, readyOrder = 0): void {
    this.items.push(index);
    this.order.push(readyOrder);
  }

  /** The first entry for which `valid` holds, left queued; stale ones in front of it are dropped. */
  peek(valid: (index: number) => boolean): number | undefined {
    while (this.head < this.items.length) {
      const index = this.items[this.head] as number;
      if (valid(index)) return index;
      this.head += 1;
    }
    if (this.head > 0) this.clear();
    return undefined;
  }

  /** When the entry `peek` returned became ready. */
  get headOrder(): number {
    return this.order[this.head] ?? Number.POSITIVE_INFINITY;
  }

  /** The next entry for which `valid` holds, removing stale ones on the way. */
  shift(valid: (index: number) => boolean): number | undefined {
    const index = this.peek(valid);
    if (index !== undefined) this.head += 1;
    return index;
  }

  hasValid(valid: (index: number) => boolean): boolean {
    return this.peek(valid) !== undefined;
  }

  clear(): void {
    this.items = [];
    this.order = [];
    this.head = 0;
  }
}

const RECENT = 10;

export class StepBook {
  readonly graph: StepGraph;
  readonly steps: readonly Step[];
  /** `steps.<id>` as expressions read it, kept current with every change. */
  readonly views: Record<string, StepView> = {};
  private readonly statuses: StepStatus[] = [];
  /** Needs not succeeded yet, or, for a step whose `if:` uses a status function, needs not settled yet. */
  private readonly unmet: number[] = [];
  /** Steps whose `if:` uses a status function: they wait for their needs to settle, not to succeed. */
  private readonly anyOutcome: boolean[] = [];
  /** Whether any step's `if:` uses a status function. */
  readonly hasStatusConditions: boolean;
  /** Ready tasks, one queue per priority tier, highest first (indexed by Temporal's priority key, 1 to 4, less one). */
  private readonly tasks = [new ReadyQueue(), new ReadyQueue(), new ReadyQueue(), new ReadyQueue()];
  private readyCount = 0;
  private readonly gates = new ReadyQueue();
  private readonly active = new Set<number>();
  private finished = 0;
  /** The last few steps that finished, newest last. */
  readonly recent: string[] = [];
  /** Changes outside the step state table, as messages (they are applied anyway: the review must go on). */
  readonly problems: string[] = [];

  constructor(pipeline: Pipeline, tierOf: (step: Step) => Priority, carried: readonly StepStatus[] = []) {
    this.steps = pipeline.steps;
    this.graph = buildGraph(pipeline.steps);
    const previous = new Map(carried.map((s) => [s.id, s]));
    this.steps.forEach((step, i) => {
      this.anyOutcome[i] = conditionUsesStatusFunction(step.if);
      const carriedStatus = previous.get(step.id);
      // Carried from a run older than verdicts, or from one that judged the same: judged again here.
      const status = carriedStatus ? judged({ ...carriedStatus }) : freshStatus(step, tierOf(step));
      this.statuses[i] = status;
      this.views[step.id] = { status: status.state, output: status.output };
      if (isStepFinished(status.state)) this.finished += 1;
      else if (status.state !== 'pending') this.active.add(i);
    });
    this.hasStatusConditions = this.anyOutcome.includes(true);
    this.rebuildReadiness();
  }

  get size(): number {
    return this.steps.length;
  }

  get doneCount(): number {
    return this.finished;
  }

  indexOf(id: string): number | undefined {
    return this.graph.indexOf.get(id);
  }

  status(id: string): StepStatus | undefined {
    const i = this.indexOf(id);
    return i === undefined ? undefined : this.statuses[i];
  }

  step(id: string): Step | undefined {
    const i = this.indexOf(id);
    return i === undefined ? undefined : this.steps[i];
  }

  /** Whether the `if:` of step `id` uses a status function. */
  usesStatusFunction(id: string): boolean {
    const i = this.indexOf(id);
    return i !== undefined && this.anyOutcome[i] === true;
  }

  /**
   * How the steps upstream of `id` (its needs, and theirs, transitively) ended: whether one failed, and
   * whether all succeeded. What success() and failure() read, as GitHub's do over a job's ancestors.
   */
  upstream(id: string): { failed: boolean; allSucceeded: boolean } {
    const start = this.indexOf(id);
    let failed = false;
    let allSucceeded = true;
    if (start === undefined) return { failed, allSucceeded };
    const seen = new Set<number>([start]);
    const stack = [start];
    while (stack.length > 0) {
      for (const d of this.graph.deps[stack.pop() as number] as number[]) {
        if (seen.has(d)) continue;
        seen.add(d);
        stack.push(d);
        const state = (this.statuses[d] as StepStatus).state;
        if (state === 'failed') failed = true;
        if (state !== 'succeeded') allSucceeded = false;
      }
    }
    return { failed, allSucceeded };
  }

  all(): StepStatus[] {
    return [...this.statuses];
  }

  /** Steps that started and have not finished (scheduled, running, retrying, awaiting approval). */
  activeSteps(): StepStatus[] {
    return [...this.active].sort((a, b) => a - b).map((i) => this.statuses[i] as StepStatus);
  }

  private readonly isWaitingTask = (j: number): boolean => WAITING.includes((this.statuses[j] as StepStatus).state);

  private readonly isWaitingGate = (j: number): boolean => {
    const state = (this.statuses[j] as StepStatus).state;
    return WAITING.includes(state) || state === 'awaiting_approval';
  };

  /**
   * The next task whose needs all succeeded: the first to become ready, or, when `byPriority()` allows it
   * (asked only when the two differ), the first of the highest priority tier.
   */
  nextTask(byPriority?: () => boolean): Step | undefined {
    let first: ReadyQueue | undefined;
    let highest: ReadyQueue | undefined;
    for (const queue of this.tasks) {
      if (queue.peek(this.isWaitingTask) === undefined) continue;
      highest ??= queue;
      if (!first || queue.headOrder < first.headOrder) first = queue;
    }
    if (!first || !highest) return undefined;
    const from = highest !== first && byPriority?.() ? highest : first;
    const i = from.shift(this.isWaitingTask);
    return i === undefined ? undefined : this.steps[i];
  }

  /** The next gate to open (or to wait on again after continue-as-new). */
  nextGate(): Step | undefined {
    const i = this.gates.shift(this.isWaitingGate);
    return i === undefined ? undefined : this.steps[i];
  }

  hasReady(): boolean {
    return this.tasks.some((queue) => queue.hasValid(this.isWaitingTask)) || this.gates.hasValid(this.isWaitingGate);
  }

  /** Moves a step to `state` with `patch`, unlocking or skipping its dependents. */
  set(id: string, state: StepState, patch: Partial<StepStatus> = {}): StepStatus {
    const i = this.indexOf(id);
    if (i === undefined) throw new RangeError(`unknown step ${id}`);
    const current = this.statuses[i] as StepStatus;
    const problem = stepTransitionProblem(id, current.state, state);
    if (problem) this.problems.push(problem);
    const next: StepStatus = judged({ ...current, ...patch, state });
    this.statuses[i] = next;
    this.views[id] = { status: state, output: next.output };
    const wasFinished = isStepFinished(current.state);
    const isFinished = isStepFinished(state);
    if (wasFinished !== isFinished) this.finished += isFinished ? 1 : -1;
    if (isFinished && !wasFinished) this.noteFinished(id);
    if (isFinished || state === 'pending') this.active.delete(i);
    else this.active.add(i);
    if (current.state !== state && isFinished) {
      if (state === 'succeeded') this.unlockDependents(i, !wasFinished);
      else this.skipDependents(i, !wasFinished);
    }
    return next;
  }

  /** Replaces a finished step's output, as expressions read it too (a checkout that ran again elsewhere). */
  replaceOutput(id: string, output: unknown): void {
    const i = this.indexOf(id);
    if (i === undefined) return;
    const next = judged({ ...(this.statuses[i] as StepStatus), output });
    this.statuses[i] = next;
    this.views[id] = { status: next.state, output };
  }

  /** Replaces fields of a step without changing its state (attempts, undo results). */
  patch(id: string, patch: Partial<StepStatus>): void {
    const i = this.indexOf(id);
    if (i === undefined) return;
    this.statuses[i] = judged({ ...(this.statuses[i] as StepStatus), ...patch });
  }

  private noteFinished(id: string): void {
    this.recent.push(id);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** `settledNow`: the step `i` had not finished before (a step waiting for its needs to settle counts it once). */
  private unlockDependents(i: number, settledNow: boolean): void {
    for (const d of this.graph.dependents[i] as number[]) {
      if (this.anyOutcome[d]) {
        if (settledNow) this.needSettled(d);
        continue;
      }
      this.unmet[d] = (this.unmet[d] as number) - 1;
      if (this.unmet[d] === 0 && WAITING.includes((this.statuses[d] as StepStatus).state)) this.enqueue(d);
    }
  }

  /** A need of `d`, a step whose `if:` uses a status function, has settled. */
  private needSettled(d: number): void {
    this.unmet[d] = (this.unmet[d] as number) - 1;
    if (this.unmet[d] === 0 && WAITING.includes((this.statuses[d] as StepStatus).state)) this.enqueue(d);
  }

  /**
   * One sweep over what can no longer run because `root` did not succeed. Steps whose `if:` uses a
   * status function stop the sweep: the need settled for them, and their condition decides.
   */
  private skipDependents(root: number, rootSettledNow: boolean): void {
    const queue = [root];
    for (let head = 0; head < queue.length; head++) {
      const i = queue[head] as number;
      const cause = this.statuses[i] as StepStatus;
      const how = cause.state === 'skipped' ? 'was skipped' : cause.state === 'failed' ? 'failed' : 'was cancelled';
      for (const d of this.graph.dependents[i] as number[]) {
        if (this.anyOutcome[d]) {
          if (head > 0 || rootSettledNow) this.needSettled(d);
          continue;
        }
        const status = this.statuses[d] as StepStatus;
        if (!WAITING.includes(status.state)) continue;
        this.replace(d, { ...status, state: 'skipped', skippedReason: `needs ${cause.id}, which ${how}`, endedAt: cause.endedAt });
        queue.push(d);
      }
    }
  }

  private replace(i: number, next: StepStatus): void {
    const before = this.statuses[i] as StepStatus;
    this.statuses[i] = judged(next);
    this.views[next.id] = { status: next.state, output: next.output };
    if (!isStepFinished(before.state) && isStepFinished(next.state)) this.finished += 1;
    this.active.delete(i);
  }

  private enqueue(i: number): void {
    const step = this.steps[i] as Step;
    const status = this.statuses[i] as StepStatus;
    if (step.gate) {
      this.gates.push(i);
      return;
    }
    if (status.state === 'pending') {
      this.statuses[i] = { ...status, state: 'scheduled' };
      this.views[step.id] = { status: 'scheduled', output: status.output };
      this.active.add(i);
    }
    this.tasks[(PRIORITY_KEYS[status.priority] ?? PRIORITY_KEYS.normal) - 1]?.push(i, this.readyCount++);
  }

  /**
   * The review failed or was rejected: every step that has not finished is cancelled, except tasks whose
   * `if:` uses a status function, which still get their turn as their needs settle (failure() is true
   * for them now). Gates do not open any more.
   */
  cancelAllButStatusConditions(reason: string, at: string): string[] {
    const cancelled: number[] = [];
    this.statuses.forEach((status, i) => {
      if (isStepFinished(status.state)) return;
      if (this.anyOutcome[i] && !(this.steps[i] as Step).gate && WAITING.includes(status.state)) return;
      this.replace(i, { ...status, state: 'cancelled', skippedReason: reason, endedAt: at });
      cancelled.push(i);
    });
    this.gates.clear();
    for (const i of cancelled) {
      for (const d of this.graph.dependents[i] as number[]) if (this.anyOutcome[d]) this.needSettled(d);
    }
    return cancelled.map((i) => (this.steps[i] as Step).id);
  }

  /** Marks every step that has not finished as cancelled (the review is closing). */
  cancelUnfinished(reason: string, at: string): string[] {
    const cancelled: string[] = [];
    this.statuses.forEach((status, i) => {
      if (isStepFinished(status.state)) return;
      this.replace(i, { ...status, state: 'cancelled', skippedReason: reason, endedAt: at });
      cancelled.push(status.id);
    });
    for (const queue of this.tasks) queue.clear();
    this.gates.clear();
    return cancelled;
  }

  /** Every step downstream of `roots`, the roots included, in declaration order. */
  downstream(roots: Iterable<string>): string[] {
    const seen = new Set<number>();
    const queue: number[] = [];
    for (const id of roots) {
      const i = this.indexOf(id);
      if (i !== undefined && !seen.has(i)) {
        seen.add(i);
        queue.push(i);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      for (const d of this.graph.dependents[queue[head] as number] as number[]) {
        if (!seen.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
    return [...seen].sort((a, b) => a - b).map((i) => (this.steps[i] as Step).id);
  }

  /** Puts `ids` back to pending as if they never ran, then recomputes what is ready. */
  reset(ids: readonly string[], tierOf: (step: Step) => Priority): void {
    for (const id of ids) {
      const i = this.indexOf(id);
      if (i === undefined) continue;
      const before = this.statuses[i] as StepStatus;
      if (isStepFinished(before.state)) this.finished -= 1;
      this.active.delete(i);
      const fresh = freshStatus(this.steps[i] as Step, tierOf(this.steps[i] as Step));
      this.statuses[i] = fresh;
      this.views[id] = { status: 'pending' };
    }
    this.rebuildReadiness();
  }

  private rebuildReadiness(): void {
    for (const queue of this.tasks) queue.clear();
    this.gates.clear();
    this.statuses.forEach((_, i) => {
      const deps = this.graph.deps[i] as number[];
      this.unmet[i] = this.anyOutcome[i]
        ? deps.filter((d) => !isStepFinished((this.statuses[d] as StepStatus).state)).length
        : deps.filter((d) => (this.statuses[d] as StepStatus).state !== 'succeeded').length;
    });
    this.statuses.forEach((status, i) => {
      if (status.state === 'awaiting_approval') this.gates.push(i);
      else if (WAITING.includes(status.state) && this.unmet[i] === 0) this.enqueue(i);
    });
  }
}

/** `status` (a copy the caller owns) with its verdict set from its state and output, or removed while it runs. */
function judged(status: StepStatus): StepStatus {
  const verdict = stepVerdict(status);
  if (verdict !== undefined) status.verdict = verdict;
  else if (status.verdict !== undefined) delete status.verdict;
  return status;
}

export function freshStatus(step: Step, priority: Priority): StepStatus {
  return {
    id: step.id,
    name: step.name,
    uses: step.uses,
    kind: step.gate ? 'gate' : 'task',
    needs: step.needs ?? [],
    priority,
    state: 'pending',
    attempts: 0,
  };
}
