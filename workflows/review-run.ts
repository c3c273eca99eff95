/**
 * One run of a review: the phases of its lifecycle in order (running → settling → retry window →
 * compensating → closed), each a small loop over state the handlers and steps change. Nothing here
 * throws on a logic gap: refused events are logged or returned to the caller, errors inside detached
 * work fail the review cleanly, and every timer belongs to a loop that ends with the review.
 */
import {
  CancellationScope,
  CancelledFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  type SearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { parseDuration, tryParseDuration } from '../src/definition/duration';
import { NOTHING_FAILED, type ExpressionContext, type StatusValues } from '../src/definition/expressions';
import { secretPlaceholders } from '../src/definition/secrets';
import type { Pipeline, Priority, Step } from '../src/definition/schema';
import { carriedState, restoredState } from './carry';
import { runCompensation } from './compensation';
import { runFinally } from './finally';
import { liveDetails } from './details';
import { GateController } from './gate';
import { runGate } from './gate-runner';
import { DirectScope } from './direct-scope';
import { HeldTime } from './held-time';
import { applyLifecycle, displayState, isHeld, mayDispatch, type Applied, type Lifecycle, type LifecycleEvent } from './lifecycle';
import { reviewMetrics } from './metrics';
import { clipText, compactOutput, stepOutputBudget } from './outputs';
import { reviewTransitionProblem } from './state-machine';
import { STEP_PRIORITY_ORDER_PATCH } from './patches';
import { StepBook } from './step-book';
import { endInTurn, runTask, type TaskEnd } from './step-runner';
import { Turns } from './turns';
import { reviewEndFor, reviewFailure } from './unexpected-error';
import { Workspaces } from './workspaces';
import type { Decision, FinalActionStatus, ReviewState, ReviewStatus, ReviewWorkflowInput, StateChange, StepStatus } from './types';
import type { StepResponse } from '../activities/types';

const MAX_TRANSITIONS = 200;
const MAX_DECISIONS = 200;
const MAX_NOTICES = 20;

export class ReviewRun {
  readonly pipeline: Pipeline;
  readonly book: StepBook;
  readonly gates = new Map<string, GateController>();
  readonly held: HeldTime;
  lifecycle: Lifecycle;
  readonly decisions: Decision[];
  decisionsDropped: number;
  readonly transitions: StateChange[];
  transitionsDropped: number;
  readonly notices: string[];
  readonly startedAt: string;
  readonly continuedAsNew: number;
  readonly undoOrder: string[];
  readonly finalActions: FinalActionStatus[] = [];
  readonly inflightTasks = new Set<string>();
  readonly inflightGates = new Set<string>();
  /** Reminders and escalations running beside the steps. */
  sideTasks = 0;
  /** Cancelled when an outcome is decided: every step, fallback, reminder and escalation runs in it. */
  private currentStepScope: DirectScope | undefined;
  /** The scope of the steps now running (made by the phase that runs them, inside the review's non-cancellable scope). */
  get stepScope(): DirectScope {
    return (this.currentStepScope ??= new DirectScope());
  }

  /** Stopping new work to continue as new. */
  draining = false;
  /** Running the steps whose `if:` uses a status function after the review failed or was rejected. */
  private afterFailure = false;
  /** A cancel was requested (the lifecycle refuses it once an outcome is decided; it still ends `afterFailure`). */
  private cancelRequested = false;
  /** Why, as the canceller's client said just before asking (Temporal does not hand the request's reason to the workflow). */
  cancelReason: string | undefined;
  private display: ReviewState;
  private version = 0;
  private eventsThisRun = 0;
  private endedAt: string | undefined;
  private retryWindowEndsAt: number | undefined;
  private searchState: ReviewState | undefined;
  /** Search attributes the start did not set as the review has them, sent with the first status (PROMPT_DISPATCH_PATCH). */
  private unsetSearch: SearchAttributes | undefined;
  readonly outputBudget: number;
  /** Where steps with `workspace:` run, and the workspaces removed at close. */
  readonly workspaces = new Workspaces(this);
  /** `secrets.NAME` → a placeholder the worker resolves; values never enter the workflow. */
  private secretNames: Record<string, string> | undefined;

  /** Resolves the dispatch loop's wait at the next change (reviews marked PROMPT_DISPATCH_PATCH). */
  private wake: (() => void) | undefined;
  /** Dispatches steps after each turn that changed something (reviews marked TURN_DISPATCH_PATCH). */
  private readonly turns = new Turns();

  /** `promptDispatch`, `turnDispatch`: the review carries PROMPT_DISPATCH_PATCH, TURN_DISPATCH_PATCH (see there). */
  constructor(
    readonly input: ReviewWorkflowInput,
    readonly promptDispatch = false,
    readonly turnDispatch = false,
  ) {
    this.pipeline = input.definition;
    const restored = restoredState(input, Date.now());
    this.lifecycle = restored.lifecycle;
    this.display = restored.display;
    this.decisions = restored.decisions;
    this.decisionsDropped = restored.decisionsDropped;
    this.transitions = restored.transitions;
    this.transitionsDropped = restored.transitionsDropped;
    this.notices = restored.notices;
    this.startedAt = restored.startedAt;
    this.continuedAsNew = restored.continuedAsNew;
    this.undoOrder = restored.undoOrder;
    this.held = new HeldTime(restored.heldMs, restored.heldSince);
    this.book = new StepBook(this.pipeline, (s) => this.tierOf(s), restored.steps);
    for (const step of this.pipeline.steps) {
      if (step.gate) this.gates.set(step.id, new GateController(step.id, step.gate, this.book.status(step.id)?.gate));
    }
    this.outputBudget = stepOutputBudget(this.pipeline.steps.length);
  }

  get reviewId(): string {
    return workflowInfo().workflowId;
  }

  get priority(): Priority {
    return this.input.priority ?? this.pipeline.priority ?? 'normal';
  }

  tierOf(step: Step): Priority {
    return step.priority ?? this.input.priority ?? this.pipeline.defaults?.priority ?? this.pipeline.priority ?? 'normal';
  }

  get state(): ReviewState {
    return this.display;
  }

  // ---- changes ---------------------------------------------------------------------------------

  /** Wakes the loops waiting for something to change. */
  changed(): void {
    this.version += 1;
    this.eventsThisRun += 1;
    this.turns.changed();
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Runs `fn` (a step's end, say) as one turn: the steps are dispatched once, when it returns. */
  turn<T>(fn: () => T): T {
    return this.turns.turn(fn);
  }

  /** Resolves once something changed after `seen`: at the change itself, or (before PROMPT_DISPATCH_PATCH) when the SDK next checks conditions. */
  private changedSince(seen: number): Promise<unknown> {
    if (!this.promptDispatch) return condition(() => this.version !== seen);
    if (this.version !== seen) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Applies a lifecycle event; a refusal is returned (and logged), never thrown. */
  apply(event: LifecycleEvent, why?: string): Applied {
    const applied = applyLifecycle(this.lifecycle, event);
    if (!applied.ok) {
      log.info('lifecycle event refused', { event: event.type, reason: applied.reason });
      return applied;
    }
    if (!applied.changed) return applied;
    const before = this.lifecycle.phase;
    this.lifecycle = applied.next;
    this.held.hold(isHeld(this.lifecycle), Date.now());
    if (before === 'running' && this.lifecycle.phase === 'settling') this.stepScope.cancel();
    this.refreshDisplay(why ?? ('reason' in event ? event.reason : event.type));
    this.changed();
    return applied;
  }

  fail(reason: string): void {
    this.apply({ type: 'fail', reason });
  }

  notice(text: string): void {
    log.warn(text);
    this.notices.push(clipText(text, 500));
    if (this.notices.length > MAX_NOTICES) this.notices.shift();
    this.changed();
  }

  private onlyGatesWaiting(): boolean {
    return this.inflightGates.size > 0 && this.inflightTasks.size === 0;
  }

  private refreshDisplay(reason?: string): void {
    const next = displayState(this.lifecycle, this.onlyGatesWaiting());
    if (next === this.display) return;
    const problem = reviewTransitionProblem(this.display, next);
    if (problem) this.notice(problem);
    this.transitions.push({ from: this.display, to: next, at: new Date().toISOString(), reason: reason === undefined ? undefined : clipText(reason, 500) });
    if (this.transitions.length > MAX_TRANSITIONS) {
      this.transitions.shift();
      this.transitionsDropped += 1;
    }
    log.info('review state changed', { from: this.display, to: next, reason });
    this.display = next;
  }

  recordDecision(decision: Decision): void {
    this.decisions.push(decision);
    if (this.decisions.length > MAX_DECISIONS) {
      this.decisions.shift();
      this.decisionsDropped += 1;
    }
    this.changed();
  }

  stepSucceeded(step: Step, response: StepResponse, patch: Partial<StepStatus> = {}): void {
    const attempts = Math.max(response.attempt ?? 1, this.book.status(step.id)?.attempts ?? 1);
    this.book.set(step.id, 'succeeded', {
      output: compactOutput(response.output, this.outputBudget),
      summary: typeof response.summary === 'string' ? clipText(response.summary, 500) : undefined,
      error: undefined,
      attempts,
      endedAt: new Date().toISOString(),
      ...patch,
    });
    if (step.undo) this.undoOrder.push(step.id);
    this.changed();
  }

  /**
   * What the status functions in the `if:` of `step` return. failure(): a step upstream of it failed, or
   * the review has failed or was rejected (its steps then run only as `afterFailure`); success(): every
   * step upstream succeeded and no outcome is decided; cancelled(): the review is being cancelled, which
   * no step sees (none starts then). Steps without a status function get the default, unread.
   */
  statusValuesFor(step: Step): StatusValues {
    if (!this.book.usesStatusFunction(step.id)) return NOTHING_FAILED;
    const { outcome } = this.lifecycle;
    const upstream = this.book.upstream(step.id);
    return {
      success: outcome === undefined && upstream.allSucceeded,
      failure: outcome === 'failed' || outcome === 'rejected' || upstream.failed,
      cancelled: outcome === 'cancelled',
    };
  }

  /** What the status functions in a `finally` action's `if:` return: how the review ended. */
  finalStatusValues(): StatusValues {
    const outcome = this.lifecycle.outcome ?? 'completed';
    return { success: outcome === 'completed', failure: outcome === 'failed' || outcome === 'rejected', cancelled: outcome === 'cancelled' };
  }

  expressionContext(): ExpressionContext {
    this.secretNames ??= secretPlaceholders([this.pipeline.steps, this.pipeline.finally ?? []]);
    const ctx: ExpressionContext = { params: this.input.params ?? {}, input: this.input.input ?? {}, steps: this.book.views, secrets: this.secretNames };
    const { phase, outcome, reason } = this.lifecycle;
    if (phase === 'closed') ctx.review = { id: this.reviewId, pipeline: this.pipeline.name, outcome: outcome ?? 'completed', ...(reason ? { reason } : {}) };
    return ctx;
  }

  /** Runs `work` without awaiting it: cancellation ends it quietly, any other error fails the review. */
  detached(what: string, work: () => Promise<void>): Promise<void> {
    return work().catch((err: unknown) => this.stopped(what, err));
  }

  private stopped(what: string, err: unknown): void {
    if (isCancellation(err)) return;
    const message = err instanceof Error ? err.message : String(err);
    this.notice(`${what} stopped on an unexpected error: ${message}`);
    this.fail(`${what}: ${message}`);
  }

  /** Upserts the search attributes once per pass, not once per change. */
  flush(): void {
    this.refreshDisplay();
    if (this.input.options?.searchAttributes !== false && (this.searchState !== this.display || this.unsetSearch)) {
      const attributes: SearchAttributes = { ...this.unsetSearch };
      this.unsetSearch = undefined;
      if (this.searchState !== this.display) attributes.ReviewStatus = [this.display];
      this.searchState = this.display;
      upsertSearchAttributes(attributes);
    }
  }

  /**
   * Keeps for the first status upsert the attributes the start did not already set to these values (a
   * client's start sets them all, and continue-as-new carries them), so a review upserts them in one
   * command, or not at all.
   */
  private noteUnsetSearchAttributes(attributes: SearchAttributes): void {
    const atStart = workflowInfo().searchAttributes ?? {};
    const unset = Object.entries(attributes).filter(([key, value]) => JSON.stringify(atStart[key]) !== JSON.stringify(value));
    if (unset.length > 0) this.unsetSearch = Object.fromEntries(unset);
    const status = atStart.ReviewStatus?.[0];
    if (typeof status === 'string') this.searchState = status as ReviewState;
  }

  // ---- the run ---------------------------------------------------------------------------------

  run(): Promise<ReviewStatus> {
    try {
      this.begin();
    } catch (err) {
      return Promise.reject(reviewEndFor(this, err));
    }
    if (!this.turnDispatch) return this.shielded(() => this.main());
    if (this.pipeline.timeout) void this.shielded(() => this.watchTimeout());
    if (this.lifecycle.phase !== 'running') return this.shielded(() => this.main());
    return new Promise<ReviewStatus>((resolve, reject) => {
      const end = (err: unknown) => reject(reviewEndFor(this, err));
      this.dispatchSteps(() => {
        try {
          resolve(this.afterSteps());
        } catch (err) {
          end(err);
        }
      }, end);
    });
  }

  /** What a run does before its steps: search attributes, the started metric, the Web UI's details, cancel requests. */
  private begin(): void {
    if (this.input.options?.searchAttributes !== false) {
      const attributes: SearchAttributes = {
        ReviewPipeline: [this.pipeline.name],
        ReviewPriority: [this.priority],
        ...(this.input.subject ? { ReviewSubject: [this.input.subject.slice(0, 200)] } : {}),
        ...(this.input.tenant ? { ReviewTenant: [this.input.tenant] } : {}),
      };
      if (this.promptDispatch) this.noteUnsetSearchAttributes(attributes);
      else upsertSearchAttributes(attributes);
    }
    if (this.display === 'pending') reviewMetrics.started(this.pipeline.name, this.priority);
    setCurrentDetails(liveDetails(this));
    this.refreshDisplay('started');
    CancellationScope.current().cancelRequested.catch(() => {
      this.cancelRequested = true;
      if (this.afterFailure) this.changed();
      this.apply({ type: 'cancel', reason: this.cancelReason ?? 'cancel requested' });
    });
  }

  /** Ends the review as failed at once, for an error its own code did not expect (./unexpected-error.ts). */
  markFailed(reason: string): void {
    this.notice(`the review stopped: ${reason}`);
    this.lifecycle = { ...this.lifecycle, phase: 'closed', outcome: 'failed', reason };
    this.endedAt = new Date().toISOString();
    this.refreshDisplay(reason);
    this.flush();
    reviewMetrics.finished(this.pipeline.name, this.priority, 'failed');
  }

  /** Runs `fn` where a cancel request does not reach: the review decides what a cancel stops. */
  private shielded<T>(fn: () => Promise<T>): Promise<T> {
    return new DirectScope({ cancellable: false }).run(fn);
  }

  private watchTimeout(): Promise<void> {
    return this.detached('review timeout', () => this.watchReviewTimeout());
  }

  /**
   * After the first dispatch of a review marked TURN_DISPATCH_PATCH, which ran outside the shielded scope to
   * save its promises: a review that finished closes at once, any other goes on in the shielded scope.
   */
  private afterSteps(): ReviewStatus | Promise<ReviewStatus> {
    if (this.lifecycle.phase === 'closed' && !this.pipeline.finally?.length && !this.workspaces.used()) return this.close();
    return this.shielded(() => this.main());
  }

  private async main(): Promise<ReviewStatus> {
    if (this.pipeline.timeout && !this.turnDispatch) void this.watchTimeout();
    try {
      for (;;) {
        switch (this.lifecycle.phase) {
          case 'running':
            if (this.draining) await this.drainAndContinueAsNew();
            else if (this.turnDispatch) await new Promise<void>((resolve, reject) => this.dispatchSteps(resolve, reject));
            else await this.runSteps();
            break;
          case 'settling':
            await this.settle();
            break;
          case 'retry_window':
            await this.waitForRetry();
            break;
          case 'compensating':
            this.flush();
            await runCompensation(this);
            this.apply({ type: 'compensated' }, 'undo steps ran');
            break;
          case 'closed':
            if (this.pipeline.finally?.length) await runFinally(this);
            if (this.workspaces.used()) await this.workspaces.removeAll();
            return this.close();
        }
      }
    } catch (err) {
      throw reviewEndFor(this, err);
    }
  }

  /** Dispatches ready steps until the review finishes, an outcome is decided, or it continues as new (before TURN_DISPATCH_PATCH). */
  private async runSteps(): Promise<void> {
    this.currentStepScope = new DirectScope();
    for (;;) {
      if (!this.dispatchPass()) return this.draining ? this.drainAndContinueAsNew() : undefined;
      const seen = this.version;
      this.flush();
      await this.changedSince(seen);
    }
  }

  /** Dispatches ready steps after each change until the review finishes, an outcome is decided, or it drains. */
  private dispatchSteps(done: () => void, failed: (err: unknown) => void): void {
    this.currentStepScope = new DirectScope();
    this.turns.start({ dispatch: () => this.dispatchPass(), flush: () => this.flush(), done, failed });
  }

  /** Starts the steps that may start; false when the steps are over: finished, an outcome decided, or draining to continue as new. */
  private dispatchPass(): boolean {
    if (this.lifecycle.phase !== 'running') return false;
    if (!this.draining && this.eventsThisRun > 0 && this.shouldContinueAsNew()) {
      this.draining = true;
      this.changed();
    }
    if (this.draining) return false;
    if (mayDispatch(this.lifecycle)) {
      for (let gate = this.book.nextGate(); gate; gate = this.book.nextGate()) this.start(gate, this.inflightGates, () => runGate(this, gate as Step));
      const maxParallel = this.pipeline.maxParallel ?? Number.POSITIVE_INFINITY;
      while (this.inflightTasks.size < maxParallel) {
        const task = this.book.nextTask(this.byPriority);
        if (!task) break;
        this.startTask(task);
      }
    }
    if (this.inflightTasks.size === 0 && this.inflightGates.size === 0 && !this.book.hasReady()) {
      this.finishSteps();
      return false;
    }
    return true;
  }

  /** Starts a task step in the step scope; its end is reported straight back, without a promise of its own. */
  private startTask(task: Step): void {
    const end = this.started(task, this.inflightTasks);
    this.stepScope.enter(() => runTask(this, task, end));
  }

  private start(step: Step, inflight: Set<string>, work: () => Promise<void>): void {
    const end = this.started(step, inflight);
    endInTurn(this, this.stepScope.run(work), end);
  }

  /** Whether ready tasks start highest priority first (./patches.ts); asked only where that changes the order. */
  private readonly byPriority = (): boolean => patched(STEP_PRIORITY_ORDER_PATCH);

  /** Counts `step` as in flight until its end: done, or stopped by an error nothing handled (which fails the review). */
  private started(step: Step, inflight: Set<string>): TaskEnd {
    inflight.add(step.id);
    this.changed();
    const finished = (): void => {
      inflight.delete(step.id);
      this.changed();
    };
    return {
      done: finished,
      stopped: (err: unknown) => {
        this.stopped(`step ${step.id}`, err);
        finished();
      },
    };
  }

  private finishSteps(): void {
    const stuck = this.book.all().filter((s) => !['succeeded', 'failed', 'skipped', 'cancelled'].includes(s.state));
    if (stuck.length > 0) {
      this.notice(`steps ${stuck.map((s) => s.id).join(', ')} could never run; they are cancelled`);
      this.book.cancelUnfinished('could never run', new Date().toISOString());
    }
    this.apply({ type: 'finish' }, 'all steps finished');
  }

  private shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    const limit = this.input.options?.historyLimit;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength > limit);
  }

  private async drainAndContinueAsNew(): Promise<void> {
    this.flush();
    await condition(
      () =>
        this.lifecycle.phase !== 'running' ||
        (this.inflightTasks.size === 0 && this.inflightGates.size === 0 && this.sideTasks === 0 && allHandlersFinished()),
    );
    this.draining = false;
    if (this.lifecycle.phase !== 'running') return;
    this.flush();
    await continueAsNew<(input: ReviewWorkflowInput) => Promise<ReviewStatus>>({ ...this.input, carried: carriedState(this) });
  }

  /** Waits for every running step to stop, then closes or opens the retry window. */
  private async settle(): Promise<void> {
    this.stepScope.cancel();
    this.flush();
    await condition(() => this.inflightTasks.size === 0 && this.inflightGates.size === 0 && this.sideTasks === 0);
    const { outcome, reason } = this.lifecycle;
    if (this.book.hasStatusConditions && (outcome === 'failed' || outcome === 'rejected')) await this.runAfterFailure();
    this.book.cancelUnfinished(`review ${outcome}${reason ? `: ${reason}` : ''}`, new Date().toISOString());
    const window = this.retryWindowMs();
    this.apply({ type: 'settled', retryWindow: window > 0 }, outcome === 'failed' && window > 0 ? `waiting ${this.input.options?.retryWindow} for a retry` : undefined);
    if (this.lifecycle.phase === 'retry_window') this.retryWindowEndsAt = Date.now() + window;
  }

  /**
   * After a failure or a rejection, before the review settles: every step that has not finished is
   * cancelled but those whose `if:` uses a status function, which run as their needs settle (with
   * failure() true), bounded by `maxParallel` and held while paused. A cancel request stops them.
   * Only reviews whose pipeline uses a status function come here.
   */
  private async runAfterFailure(): Promise<void> {
    const { outcome, reason } = this.lifecycle;
    this.afterFailure = true;
    this.book.cancelAllButStatusConditions(`review ${outcome}${reason ? `: ${reason}` : ''}`, new Date().toISOString());
    this.currentStepScope = new DirectScope();
    this.changed();
    const maxParallel = this.pipeline.maxParallel ?? Number.POSITIVE_INFINITY;
    while (!this.cancelRequested) {
      if (!this.lifecycle.paused) {
        while (this.inflightTasks.size < maxParallel) {
          const task = this.book.nextTask(this.byPriority);
          if (!task) break;
          this.startTask(task);
        }
      }
      if (this.inflightTasks.size === 0 && !this.book.hasReady()) break;
      const seen = this.version;
      this.flush();
      await this.changedSince(seen);
    }
    this.stepScope.cancel();
    await condition(() => this.inflightTasks.size === 0 && this.sideTasks === 0);
    this.afterFailure = false;
  }

  /** The retry window from the start options; one that is not a duration is noted and taken as none. */
  private retryWindowMs(): number {
    const text = this.input.options?.retryWindow;
    if (!text) return 0;
    const ms = tryParseDuration(String(text));
    if (ms === undefined) this.notice(`options.retryWindow ${JSON.stringify(text)} is not a duration; the review closes without a retry window`);
    return ms ?? 0;
  }

  private async waitForRetry(): Promise<void> {
    this.flush();
    const left = Math.max(0, (this.retryWindowEndsAt ?? 0) - Date.now());
    const retried = await condition(() => this.lifecycle.phase !== 'retry_window', left, { summary: `retry window (${this.input.options?.retryWindow})` });
    if (!retried) this.apply({ type: 'retry_expired' }, 'the retry window closed');
  }

  /** Running time the pipeline `timeout` leaves the review (paused time and retry windows excluded); undefined without one. */
  timeoutLeftMs(): number | undefined {
    const now = Date.now();
    const deadline = this.deadlineAt(now);
    return deadline === undefined ? undefined : deadline - now;
  }

  /** Fails the review when its timeout passes, not counting time held (paused, waiting for a retry). */
  private async watchReviewTimeout(): Promise<void> {
    const timeout = this.pipeline.timeout;
    if (!timeout) return;
    for (;;) {
      const phase = this.lifecycle.phase;
      if (phase === 'closed' || phase === 'compensating') return;
      if (phase !== 'running' || this.held.isHeld) {
        await condition(() => (this.lifecycle.phase === 'running' && !this.held.isHeld) || this.lifecycle.phase === 'closed');
        continue;
      }
      const left = this.timeoutLeftMs() ?? Number.POSITIVE_INFINITY;
      if (left <= 0) {
        this.fail(`review timed out after ${timeout} (paused time excluded)`);
        continue;
      }
      await condition(() => this.lifecycle.phase !== 'running' || this.held.isHeld, left, { summary: `review timeout (${timeout})` });
    }
  }

  /** The review's deadline, when it has a timeout. */
  deadlineAt(nowMs: number): number | undefined {
    return this.pipeline.timeout ? this.held.deadline(Date.parse(this.startedAt), parseDuration(this.pipeline.timeout), 0, nowMs) : undefined;
  }

  private close(): ReviewStatus {
    this.endedAt = new Date().toISOString();
    this.changed();
    this.flush();
    const { outcome, reason } = this.lifecycle;
    reviewMetrics.finished(this.pipeline.name, this.priority, outcome ?? 'completed');
    if (outcome === 'failed') {
      throw reviewFailure(reason, [this.snapshot()]);
    }
    if (outcome === 'cancelled') throw new CancelledFailure(`review cancelled${reason ? `: ${reason}` : ''}`);
    return this.snapshot();
  }

  // ---- what callers see ------------------------------------------------------------------------

  snapshot(): ReviewStatus {
    const now = Date.now();
    const steps = this.book.all().map((s) => {
      const gate = this.gates.get(s.id);
      return gate ? { ...s, gate: gate.status(now, this.held) } : s;
    });
    const done = this.book.doneCount;
    const deadline = this.lifecycle.phase === 'running' || this.lifecycle.phase === 'retry_window' ? this.deadlineAt(now) : undefined;
    return {
      reviewId: this.reviewId,
      pipeline: this.pipeline.name,
      version: this.pipeline.version,
      subject: this.input.subject,
      tenant: this.input.tenant,
      priority: this.priority,
      state: this.display,
      phase: this.lifecycle.phase,
      paused: this.lifecycle.paused,
      decided: this.lifecycle.outcome,
      progress: { done, total: steps.length, percent: Math.round((done / steps.length) * 100) },
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      deadlineAt: deadline === undefined ? undefined : new Date(deadline).toISOString(),
      heldMs: this.held.total(now),
      lastError: this.lifecycle.reason ?? this.lastStepError(),
      steps,
      decisions: [...this.decisions],
      decisionsDropped: this.decisionsDropped || undefined,
      transitions: [...this.transitions],
      transitionsDropped: this.transitionsDropped || undefined,
      notices: this.notices.length ? [...this.notices] : undefined,
      finalActions: this.finalActions.length ? this.finalActions.map((a) => ({ ...a })) : undefined,
      continuedAsNew: this.continuedAsNew,
    };
  }

  private lastStepError(): string | undefined {
    for (const id of [...this.book.recent].reverse()) {
      const status = this.book.status(id);
      if (status?.error) return `${id}: ${status.error}`;
    }
    return undefined;
  }
}
