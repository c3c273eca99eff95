// Frozen copy of the first workflow version; see review-v1.ts.
/** The DAG interpreter behind `reviewWorkflow`: one instance per workflow run. */
import {
  ApplicationFailure,
  CancellationScope,
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepKind, StepRequest, StepResponse } from '../../activities/types';
import { parseDuration } from '../../src/definition/duration';
import { evaluateCondition, interpolate, type ExpressionContext } from '../../src/definition/expressions';
import type { Action, Pipeline, Priority, Step } from '../../src/definition/schema';
import { renderDetails } from './details';
import { reviewMetrics } from '../metrics';
import { GateController } from './gate';
import {
  DecisionInputSchema,
  PauseInputSchema,
  RetryInputSchema,
  StepProgressSchema,
  describeZodError,
} from '../message-schemas';
import {
  approveSignal,
  approveUpdate,
  pauseSignal,
  rejectSignal,
  rejectUpdate,
  resumeSignal,
  retryUpdate,
  statusQuery,
  stepProgressSignal,
} from '../messages';
import { pausableWait, type Budget } from './pausable-wait';
import { assertReviewTransition, assertStepTransition, isStepFinished, TERMINAL_REVIEW_STATES } from './state-machine';
import { activityOptionsFor, backoffSpecFor, mergedRetry, mergedTimeout } from '../step-options';
import type {
  LegacyCarriedState as CarriedState,
  Decision,
  DecisionInput,
  RetryAccepted,
  ReviewState,
  ReviewStatus,
  ReviewWorkflowInput,
  StateChange,
  StepState,
  StepStatus,
} from './types';

interface Activities {
  runStep(request: StepRequest): Promise<StepResponse>;
}
const activities = proxyActivities<Activities>({ startToCloseTimeout: '10m' });

export class ReviewRun {
  private readonly pipeline: Pipeline;
  private readonly stepsById = new Map<string, Step>();
  private readonly status = new Map<string, StepStatus>();
  private readonly gates = new Map<string, GateController>();
  private readonly decisions: Decision[];
  private readonly transitions: StateChange[];
  private readonly startedAt: string;
  private readonly continuedAsNew: number;
  private readonly undoOrder: string[];
  private state: ReviewState;
  private paused: boolean;
  private failure: string | undefined;
  private rejectedBy: string | undefined;
  private endedAt: string | undefined;
  private version = 0;
  private readonly inflight = new Set<string>();
  private readonly reviewBudget: Budget | undefined;
  private retryRequested: { from?: string } | undefined;
  private stepScope: CancellationScope | undefined;
  private draining = false;
  private detailsDirty = false;

  constructor(private readonly input: ReviewWorkflowInput) {
    this.pipeline = input.definition;
    for (const step of this.pipeline.steps) this.stepsById.set(step.id, step);
    const carried = input.carried;
    this.decisions = carried?.decisions ?? [];
    this.transitions = carried?.transitions ?? [];
    this.startedAt = carried?.startedAt ?? new Date().toISOString();
    this.continuedAsNew = carried?.continuedAsNew ?? 0;
    this.undoOrder = carried?.undoOrder ?? [];
    this.state = carried?.state ?? 'pending';
    this.paused = carried?.paused ?? false;
    const carriedSteps = new Map((carried?.steps ?? []).map((s) => [s.id, s]));
    for (const step of this.pipeline.steps) {
      const previous = carriedSteps.get(step.id);
      this.status.set(step.id, previous ? this.resumeCarried(previous) : this.freshStatus(step));
      if (step.gate) this.gates.set(step.id, new GateController(step.id, step.gate, this.status.get(step.id)?.gate));
    }
    const timeoutMs = carried?.reviewTimeoutRemainingMs ?? (this.pipeline.timeout ? parseDuration(this.pipeline.timeout) : undefined);
    this.reviewBudget = timeoutMs === undefined ? undefined : { remainingMs: timeoutMs };
  }

  get reviewId(): string {
    return workflowInfo().workflowId;
  }

  private get priority(): Priority {
    return this.input.priority ?? this.pipeline.priority ?? 'normal';
  }

  private freshStatus(step: Step): StepStatus {
    return {
      id: step.id,
      name: step.name,
      uses: step.uses,
      kind: step.gate ? 'gate' : 'task',
      needs: step.needs ?? [],
      priority: this.tierOf(step),
      state: 'pending',
      attempts: 0,
    };
  }

  /** Steps cut off by continue-as-new while waiting are picked up where they were. */
  private resumeCarried(previous: StepStatus): StepStatus {
    if (previous.state === 'scheduled') return { ...previous, state: 'pending' };
    return previous;
  }

  private tierOf(step: Step): Priority {
    return step.priority ?? this.input.priority ?? this.pipeline.defaults?.priority ?? this.pipeline.priority ?? 'normal';
  }

  private bump(): void {
    this.version += 1;
  }

  // ---- state -----------------------------------------------------------------------------------

  private setReviewState(to: ReviewState, reason?: string): void {
    if (this.state === to) return;
    assertReviewTransition(this.state, to);
    this.transitions.push({ from: this.state, to, at: new Date().toISOString(), reason });
    log.info('review state changed', { from: this.state, to, reason });
    this.state = to;
    if (this.input.options?.searchAttributes !== false) upsertSearchAttributes({ ReviewStatus: [to] });
    this.publishDetails();
  }

  private setStepState(id: string, to: StepState, patch: Partial<StepStatus> = {}): StepStatus {
    const current = this.mustStatus(id);
    if (current.state !== to) assertStepTransition(id, current.state, to);
    const next: StepStatus = { ...current, ...patch, state: to };
    this.status.set(id, next);
    this.bump();
    this.publishDetails();
    return next;
  }

  private mustStatus(id: string): StepStatus {
    const status = this.status.get(id);
    if (!status) throw new Error(`unknown step ${id}`);
    return status;
  }

  /** Marks the Web UI's current details stale; `flushDetails` renders them once per pass, not once per change. */
  private publishDetails(): void {
    this.detailsDirty = true;
  }

  private flushDetails(): void {
    if (!this.detailsDirty) return;
    this.detailsDirty = false;
    setCurrentDetails(renderDetails(this.snapshot()));
  }

  snapshot(): ReviewStatus {
    const steps = this.pipeline.steps.map((s) => {
      const status = this.mustStatus(s.id);
      const gate = this.gates.get(s.id);
      return gate ? { ...status, gate: gate.status() } : status;
    });
    const done = steps.filter((s) => isStepFinished(s.state)).length;
    return {
      reviewId: this.reviewId,
      pipeline: this.pipeline.name,
      version: this.pipeline.version,
      subject: this.input.subject,
      tenant: this.input.tenant,
      priority: this.priority,
      state: this.state,
      progress: { done, total: steps.length, percent: Math.round((done / steps.length) * 100) },
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      lastError: this.failure ?? this.lastStepError(steps),
      steps,
      decisions: [...this.decisions],
      transitions: [...this.transitions],
      continuedAsNew: this.continuedAsNew,
    };
  }

  private lastStepError(steps: StepStatus[]): string | undefined {
    const failed = steps.filter((s) => s.error).sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
    const last = failed[failed.length - 1];
    return last ? `${last.id}: ${last.error}` : undefined;
  }

  // ---- messages --------------------------------------------------------------------------------

  registerHandlers(): void {
    setHandler(statusQuery, () => this.snapshot());
    setHandler(pauseSignal, (raw) => {
      const parsed = PauseInputSchema.safeParse(raw);
      if (!parsed.success) return log.warn('ignored malformed pause signal', { error: describeZodError(parsed.error) });
      this.pause(parsed.data?.by, parsed.data?.reason);
    });
    setHandler(resumeSignal, (raw) => {
      const parsed = PauseInputSchema.safeParse(raw);
      if (!parsed.success) return log.warn('ignored malformed resume signal', { error: describeZodError(parsed.error) });
      this.resume(parsed.data?.by);
    });
    setHandler(approveSignal, (raw) => this.decideFromSignal('approve', raw));
    setHandler(rejectSignal, (raw) => this.decideFromSignal('reject', raw));
    setHandler(approveUpdate, (input) => this.decide('approve', input), {
      validator: (input) => this.validateDecision(input),
    });
    setHandler(rejectUpdate, (input) => this.decide('reject', input), {
      validator: (input) => this.validateDecision(input),
    });
    setHandler(retryUpdate, (input) => this.acceptRetry(input?.from), { validator: (input) => this.validateRetry(input) });
    setHandler(stepProgressSignal, (raw) => {
      const parsed = StepProgressSchema.safeParse(raw);
      if (!parsed.success) return log.warn('ignored malformed stepProgress signal', { error: describeZodError(parsed.error) });
      this.recordProgress(parsed.data);
    });
  }

  private pause(by?: string, reason?: string): void {
    if (this.paused || this.isClosing()) return;
    this.paused = true;
    this.setReviewState('paused', reason ?? (by ? `paused by ${by}` : 'paused'));
    this.bump();
  }

  private resume(by?: string): void {
    if (!this.paused) return;
    this.paused = false;
    this.setReviewState(this.activeState(), by ? `resumed by ${by}` : 'resumed');
    this.bump();
  }

  private isClosing(): boolean {
    return TERMINAL_REVIEW_STATES.includes(this.state) || this.failure !== undefined || this.rejectedBy !== undefined;
  }

  private decideFromSignal(verdict: 'approve' | 'reject', raw: unknown): void {
    try {
      this.validateDecision(raw);
      this.decide(verdict, raw as DecisionInput);
    } catch (err) {
      log.warn(`ignored ${verdict} signal`, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private validateDecision(raw: unknown): void {
    const parsed = DecisionInputSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`invalid decision: ${describeZodError(parsed.error)}`);
    const gate = this.gateFor(parsed.data.step);
    gate.assertCanDecide(parsed.data);
  }

  private gateFor(stepId: string | undefined): GateController {
    if (stepId !== undefined) {
      const gate = this.gates.get(stepId);
      if (!gate) {
        const known = [...this.gates.keys()];
        throw new Error(
          this.stepsById.has(stepId)
            ? `step ${stepId} is not an approval gate (gates: ${known.join(', ') || 'none'})`
            : `unknown step ${stepId} (gates: ${known.join(', ') || 'none'})`,
        );
      }
      if (this.mustStatus(stepId).state !== 'awaiting_approval') {
        throw new Error(`gate ${stepId} is not open (it is ${this.mustStatus(stepId).state})`);
      }
      return gate;
    }
    const open = [...this.gates.keys()].filter((id) => this.mustStatus(id).state === 'awaiting_approval');
    if (open.length === 1) return this.gates.get(open[0] as string) as GateController;
    throw new Error(open.length === 0 ? 'no approval gate is open' : `several gates are open (${open.join(', ')}): name one with "step"`);
  }

  private decide(verdict: 'approve' | 'reject', input: DecisionInput) {
    const gate = this.gateFor(input.step);
    const decision: Decision = {
      step: gate.stepId,
      verdict,
      by: input.by,
      comment: input.comment,
      at: new Date().toISOString(),
    };
    gate.record(decision);
    this.decisions.push(decision);
    log.info('gate decision', { step: gate.stepId, verdict, by: input.by });
    this.bump();
    this.publishDetails();
    return gate.status();
  }

  private validateRetry(raw: unknown): void {
    const parsed = RetryInputSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`invalid retry: ${describeZodError(parsed.error)}`);
    if (this.state !== 'failed') throw new Error(`only a failed review can be retried (this one is ${this.state})`);
    const from = parsed.data?.from;
    if (from !== undefined && !this.stepsById.has(from)) throw new Error(`unknown step ${from}`);
  }

  private acceptRetry(from: string | undefined): RetryAccepted {
    const rerun = this.stepsToRerun(from);
    this.retryRequested = { from };
    this.bump();
    return { rerun };
  }

  private stepsToRerun(from: string | undefined): string[] {
    const roots = from
      ? [from]
      : this.pipeline.steps.filter((s) => ['failed', 'cancelled'].includes(this.mustStatus(s.id).state)).map((s) => s.id);
    const rerun = new Set(roots);
    for (const step of this.pipeline.steps) {
      if ((step.needs ?? []).some((n) => rerun.has(n))) rerun.add(step.id);
    }
    for (const step of this.pipeline.steps) {
      if (this.mustStatus(step.id).state === 'skipped' && !rerun.has(step.id)) {
        const reason = this.mustStatus(step.id).skippedReason ?? '';
        if (reason.startsWith('needs ')) rerun.add(step.id);
      }
    }
    return this.pipeline.steps.map((s) => s.id).filter((id) => rerun.has(id));
  }

  private recordProgress(progress: { step: string; attempt: number; event: string; error?: string }): void {
    const status = this.status.get(progress.step);
    if (!status || !['running', 'retrying'].includes(status.state)) return;
    if (progress.event === 'attempt_failed') {
      this.setStepState(progress.step, 'retrying', { attempts: progress.attempt, error: progress.error });
    } else {
      this.setStepState(progress.step, 'running', { attempts: Math.max(status.attempts, progress.attempt) });
    }
  }

  // ---- the run ---------------------------------------------------------------------------------

  async run(): Promise<ReviewStatus> {
    if (this.input.options?.searchAttributes !== false) {
      upsertSearchAttributes({
        ReviewPipeline: [this.pipeline.name],
        ReviewPriority: [this.priority],
        ...(this.input.subject ? { ReviewSubject: [this.input.subject.slice(0, 200)] } : {}),
        ...(this.input.tenant ? { ReviewTenant: [this.input.tenant] } : {}),
      });
    }
    if (this.state === 'pending') {
      reviewMetrics.started(this.pipeline.name, this.priority);
      this.setReviewState('running', 'started');
    }
    else this.publishDetails();
    try {
      return await this.runUntilDone();
    } catch (err) {
      if (!isCancellation(err)) throw err;
      await CancellationScope.nonCancellable(async () => {
        this.stepScope?.cancel();
        await condition(() => this.inflight.size === 0);
        this.markUnfinished('cancelled', 'review cancelled');
        await this.runUndos();
        this.finish('cancelled', 'cancelled');
      });
      throw err;
    }
  }

  private async runUntilDone(): Promise<ReviewStatus> {
    if (this.reviewBudget) void this.watchReviewTimeout(this.reviewBudget);
    for (;;) {
      await this.executeSteps();
      if (this.draining) await this.continueAsNewNow();
      if (this.rejectedBy !== undefined) {
        this.markUnfinished('cancelled', `review rejected at ${this.rejectedBy}`);
        this.finish('rejected', `rejected at gate ${this.rejectedBy}`);
        return this.snapshot();
      }
      if (this.failure === undefined) {
        this.finish('completed', 'all steps finished');
        return this.snapshot();
      }
      this.markUnfinished('cancelled', `review failed: ${this.failure}`);
      if (this.state !== 'failed') this.setReviewState('failed', this.failure);
      if (await this.waitForRetry()) continue;
      await this.runUndos();
      this.endedAt = new Date().toISOString();
      this.publishDetails();
      this.flushDetails();
      reviewMetrics.finished(this.pipeline.name, this.priority, 'failed');
      throw ApplicationFailure.create({
        message: `review failed: ${this.failure}`,
        type: 'ReviewFailed',
        nonRetryable: true,
        details: [this.snapshot()],
      });
    }
  }

  private async waitForRetry(): Promise<boolean> {
    const window = this.input.options?.retryWindow;
    if (!window || parseDuration(window) <= 0) return false;
    this.flushDetails();
    const retried = await condition(() => this.retryRequested !== undefined, parseDuration(window));
    if (!retried || !this.retryRequested) return false;
    const rerun = this.stepsToRerun(this.retryRequested.from);
    this.retryRequested = undefined;
    for (const id of rerun) {
      const status = this.mustStatus(id);
      if (status.state === 'pending') continue;
      this.setStepState(id, 'pending', {
        error: undefined,
        skippedReason: undefined,
        startedAt: undefined,
        endedAt: undefined,
        durationMs: undefined,
        output: undefined,
        summary: undefined,
        attempts: 0,
      });
      this.gates.get(id)?.reset();
    }
    this.failure = undefined;
    this.setReviewState('running', `retry of ${rerun.join(', ')}`);
    return true;
  }

  private finish(state: ReviewState, reason: string): void {
    this.endedAt = new Date().toISOString();
    this.setReviewState(state, reason);
    this.flushDetails();
    reviewMetrics.finished(this.pipeline.name, this.priority, state);
  }

  /** The dispatch loop: runs ready steps in parallel (bounded by maxParallel) until nothing can make progress. */
  private async executeSteps(): Promise<void> {
    const scope = new CancellationScope();
    this.stepScope = scope;
    const maxParallel = this.pipeline.maxParallel ?? Number.POSITIVE_INFINITY;
    for (;;) {
      this.settleBlockedSteps();
      if (this.shouldContinueAsNew()) this.draining = true;
      const stopping = this.failure !== undefined || this.rejectedBy !== undefined || this.draining;
      if (stopping) {
        this.bump();
        if (this.failure !== undefined || this.rejectedBy !== undefined) scope.cancel();
        await condition(() => this.inflight.size === 0);
        return;
      }
      if (!this.paused) {
        for (const step of this.readySteps()) {
          const isGate = step.gate !== undefined;
          if (!isGate && this.runningTasks() >= maxParallel) {
            if (this.mustStatus(step.id).state === 'pending') this.setStepState(step.id, 'scheduled');
            continue;
          }
          this.inflight.add(step.id);
          const work = isGate ? () => this.runGate(step) : () => this.runTask(step);
          void scope
            .run(work)
            .catch((err: unknown) => {
              if (!isCancellation(err)) this.failure ??= `step ${step.id}: ${errorMessage(err)}`;
            })
            .finally(() => {
              this.inflight.delete(step.id);
              this.bump();
            });
        }
      }
      this.setReviewState(this.activeState());
      if (this.inflight.size === 0 && this.readySteps().length === 0) return;
      const seen = this.version;
      this.flushDetails();
      await condition(() => this.version !== seen);
    }
  }

  private activeState(): ReviewState {
    if (this.paused) return 'paused';
    const gateOpen = [...this.gates.keys()].some((id) => this.mustStatus(id).state === 'awaiting_approval');
    return gateOpen && this.runningTasks() === 0 ? 'awaiting_approval' : 'running';
  }

  private runningTasks(): number {
    return [...this.inflight].filter((id) => !this.gates.has(id)).length;
  }

  /** Pending or scheduled steps whose needs all succeeded and whose condition holds. */
  private readySteps(): Step[] {
    return this.pipeline.steps.filter((step) => {
      const state = this.mustStatus(step.id).state;
      if (this.inflight.has(step.id)) return false;
      if (state === 'awaiting_approval') return true;
      if (state !== 'pending' && state !== 'scheduled') return false;
      return (step.needs ?? []).every((n) => this.mustStatus(n).state === 'succeeded');
    });
  }

  /** Skips steps whose needs failed or were skipped, and steps whose `if` is false. */
  private settleBlockedSteps(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const step of this.pipeline.steps) {
        const status = this.mustStatus(step.id);
        if (status.state !== 'pending' && status.state !== 'scheduled') continue;
        const needs = (step.needs ?? []).map((n) => this.mustStatus(n));
        const blocked = needs.find((n) => ['failed', 'skipped', 'cancelled'].includes(n.state));
        if (blocked) {
          this.skip(step.id, `needs ${blocked.id}, which ${blocked.state === 'skipped' ? 'was skipped' : blocked.state === 'failed' ? 'failed' : 'was cancelled'}`);
          changed = true;
          continue;
        }
        if (step.if && needs.every((n) => n.state === 'succeeded')) {
          let holds: boolean;
          try {
            holds = evaluateCondition(step.if, this.expressionContext());
          } catch (err) {
            this.setStepState(step.id, 'scheduled');
            this.setStepState(step.id, 'running', { startedAt: new Date().toISOString() });
            this.failStep(step, `condition ${JSON.stringify(step.if)} could not be evaluated: ${errorMessage(err)}`);
            changed = true;
            continue;
          }
          if (!holds) {
            this.skip(step.id, `condition ${JSON.stringify(step.if)} was false`);
            changed = true;
          }
        }
      }
    }
  }

  private skip(id: string, reason: string): void {
    const now = new Date().toISOString();
    this.setStepState(id, 'skipped', { skippedReason: reason, endedAt: now });
  }

  private markUnfinished(to: 'cancelled', reason: string): void {
    for (const step of this.pipeline.steps) {
      const status = this.mustStatus(step.id);
      if (isStepFinished(status.state)) continue;
      this.setStepState(step.id, to, { skippedReason: reason, endedAt: new Date().toISOString() });
    }
  }

  expressionContext(): ExpressionContext {
    const steps: ExpressionContext['steps'] = {};
    for (const [id, status] of this.status) steps[id] = { status: status.state, output: status.output };
    return { params: this.input.params ?? {}, input: this.input.input ?? {}, steps };
  }

  private request(stepId: string, kind: StepKind, action: { uses: string; with?: Record<string, unknown> }, secret?: string[]): StepRequest {
    return {
      review: {
        id: this.reviewId,
        pipeline: this.pipeline.name,
        priority: this.priority,
        tenant: this.input.tenant,
        subject: this.input.subject,
      },
      stepId,
      kind,
      uses: action.uses,
      with: (interpolate(action.with ?? {}, this.expressionContext()) ?? {}) as Record<string, unknown>,
      secret,
    };
  }

  private async callStep(step: Step, kind: StepKind, action: Action | Step, label: string): Promise<StepResponse> {
    const retry = mergedRetry(this.pipeline, action.retry);
    const request = this.request(step.id, kind, { uses: action.uses as string, with: action.with }, step.secret);
    request.backoff = backoffSpecFor(retry);
    const options = activityOptionsFor({
      tier: this.tierOf(step),
      retry,
      timeout: mergedTimeout(this.pipeline, action.timeout),
      summary: label,
      tenant: this.input.tenant,
      options: this.input.options,
    });
    return activities.runStep.executeWithOptions(options, [request]);
  }

  private async runTask(step: Step): Promise<void> {
    const startedAt = new Date().toISOString();
    if (this.mustStatus(step.id).state === 'pending') this.setStepState(step.id, 'scheduled');
    this.setStepState(step.id, 'running', { startedAt, attempts: 1, error: undefined });
    try {
      const response = await this.callStep(step, 'step', step, `${step.name ?? step.id} · ${step.uses}`);
      this.succeedStep(step.id, response);
    } catch (err) {
      if (isCancellation(err) || (err instanceof ActivityFailure && isCancellation(err.cause))) {
        this.setStepState(step.id, 'cancelled', this.ended({ error: 'cancelled' }));
        return;
      }
      const attempts = Math.max(this.mustStatus(step.id).attempts, attemptsFrom(err, mergedRetry(this.pipeline, step.retry).maxAttempts));
      this.status.set(step.id, { ...this.mustStatus(step.id), attempts });
      await this.handleStepFailure(step, errorMessage(err));
    }
  }

  private succeedStep(id: string, response: StepResponse, patch: Partial<StepStatus> = {}): void {
    this.setStepState(
      id,
      'succeeded',
      this.ended({
        output: response.output,
        summary: response.summary,
        error: undefined,
        attempts: Math.max(response.attempt ?? 1, this.mustStatus(id).attempts),
        ...patch,
      }),
    );
    if (this.stepsById.get(id)?.undo) this.undoOrder.push(id);
  }

  private ended(patch: Partial<StepStatus>): Partial<StepStatus> {
    return { ...patch, endedAt: new Date().toISOString() };
  }

  private async handleStepFailure(step: Step, error: string): Promise<void> {
    const onFailure = step.onFailure ?? this.pipeline.defaults?.onFailure ?? 'fail';
    if (typeof onFailure === 'object') {
      try {
        const response = await this.callStep(step, 'fallback', onFailure.fallback, `${step.name ?? step.id} · fallback ${onFailure.fallback.uses}`);
        this.succeedStep(step.id, response, { viaFallback: true, error });
        return;
      } catch (fallbackErr) {
        if (isCancellation(fallbackErr)) throw fallbackErr;
        this.failStep(step, `${error}; fallback failed: ${errorMessage(fallbackErr)}`);
        return;
      }
    }
    this.failStep(step, error, onFailure === 'continue');
  }

  private failStep(step: Step, error: string, tolerated = false): void {
    this.setStepState(step.id, 'failed', this.ended({ error }));
    log.warn('step failed', { step: step.id, error, tolerated });
    if (!tolerated) this.failure ??= `step ${step.id} failed: ${error}`;
  }

  private async runGate(step: Step & { gate: NonNullable<Step['gate']> }): Promise<void>;
  private async runGate(step: Step): Promise<void>;
  private async runGate(step: Step): Promise<void> {
    const gate = this.gates.get(step.id) as GateController;
    const status = this.mustStatus(step.id);
    if (status.state !== 'awaiting_approval') {
      this.setStepState(step.id, 'awaiting_approval', { startedAt: new Date().toISOString() });
    }
    this.setReviewState(this.activeState());
    const outcome = await gate.wait({
      paused: () => this.paused,
      interrupted: () => this.draining,
      onChange: () => {
        this.bump();
        this.publishDetails();
      },
      remind: (n) => this.runGateAction(step, 'reminder', gate.spec.remind, `reminder ${n}`),
      escalate: () => this.runGateAction(step, 'escalation', gate.spec.escalate, 'escalation'),
    });
    if (outcome === 'interrupted') return;
    const openedAt = Date.parse(this.mustStatus(step.id).startedAt ?? new Date().toISOString());
    reviewMetrics.gateWaited(this.pipeline.name, step.id, outcome, Date.now() - openedAt);
    const output = { outcome, decisions: gate.status().approvals.concat(gate.status().rejections) };
    if (outcome === 'approved') {
      this.setStepState(step.id, 'succeeded', this.ended({ output }));
    } else if (outcome === 'rejected') {
      const by = gate.status().rejections.map((d) => d.by).join(', ') || 'timeout policy';
      this.setStepState(step.id, 'failed', this.ended({ output, error: `rejected by ${by}` }));
      this.rejectedBy ??= step.id;
    } else {
      this.failStep(step, `no decision before the deadline (${gate.spec.deadline})`);
    }
  }

  private async runGateAction(step: Step, kind: StepKind, action: Action | undefined, label: string): Promise<void> {
    if (!action) {
      log.info(`gate ${label}`, { step: step.id });
      return;
    }
    try {
      await this.callStep(step, kind, action, `${step.name ?? step.id} · ${label} · ${action.uses}`);
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.warn(`gate ${label} failed`, { step: step.id, error: errorMessage(err) });
    }
  }

  private async runUndos(): Promise<void> {
    for (const id of [...this.undoOrder].reverse()) {
      const step = this.stepsById.get(id);
      const status = this.mustStatus(id);
      if (!step?.undo || status.undo) continue;
      try {
        await this.callStep(step, 'undo', step.undo, `${step.name ?? step.id} · undo ${step.undo.uses}`);
        this.status.set(id, { ...this.mustStatus(id), undo: { state: 'succeeded', at: new Date().toISOString() } });
      } catch (err) {
        this.status.set(id, {
          ...this.mustStatus(id),
          undo: { state: 'failed', error: errorMessage(err), at: new Date().toISOString() },
        });
      }
      this.publishDetails();
    }
  }

  private async watchReviewTimeout(budget: Budget): Promise<void> {
    const outcome = await pausableWait(budget, () => this.isClosing(), () => this.paused);
    if (outcome === 'elapsed' && !this.isClosing()) {
      this.failure = `review timed out after ${this.pipeline.timeout}`;
      this.bump();
    }
  }

  // ---- continue-as-new -------------------------------------------------------------------------

  private shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    const limit = this.input.options?.historyLimit;
    return info.continueAsNewSuggested || (limit !== undefined && info.historyLength > limit);
  }

  private async continueAsNewNow(): Promise<never> {
    await condition(() => this.inflight.size === 0 && allHandlersFinished());
    const carried: CarriedState = {
      steps: this.snapshot().steps,
      decisions: this.decisions,
      transitions: this.transitions.slice(-50),
      startedAt: this.startedAt,
      state: this.state,
      paused: this.paused,
      reviewTimeoutRemainingMs: this.reviewBudget?.remainingMs,
      continuedAsNew: this.continuedAsNew + 1,
      undoOrder: this.undoOrder,
    };
    return continueAsNew<(input: ReviewWorkflowInput) => Promise<ReviewStatus>>({ ...this.input, carried });
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return errorMessage(err.cause);
  if (err instanceof Error) return err.message;
  return String(err);
}

function attemptsFrom(err: unknown, maxAttempts: number | undefined): number {
  if (err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' && maxAttempts) return maxAttempts;
  return 1;
}
