/** Running one task step: its condition, the activity with its retry policy, fallback and failure policy. */
import { ActivityCancellationType, ActivityFailure, isCancellation, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { BackoffSpec, StepKind, StepRequest, StepResponse } from '../activities/types';
import { evaluateCondition, interpolate } from '../src/definition/expressions';
import type { Action, Step } from '../src/definition/schema';
import { clipText } from './outputs';
import type { ReviewRun } from './review-run';
import { activityOptionsFor, backoffSpecFor, mergedRetry, mergedTimeout } from './step-options';

interface Activities {
  runStep(request: StepRequest): Promise<StepResponse>;
}
const activities = proxyActivities<Activities>({ startToCloseTimeout: '10m' });

export function errorMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return errorMessage(err.cause);
  if (err instanceof Error) return err.message;
  return String(err);
}

function request(run: ReviewRun, step: Step, kind: StepKind, action: Action | Step): StepRequest {
  return {
    review: { id: run.reviewId, pipeline: run.pipeline.name, priority: run.priority, tenant: run.input.tenant, subject: run.input.subject },
    stepId: step.id,
    kind,
    uses: action.uses as string,
    with: (interpolate(action.with ?? {}, run.expressionContext()) ?? {}) as Record<string, unknown>,
    secret: step.secret,
    backoff: backoffOf(run, action),
  };
}

/** The backoff the activity computes itself, for each action of the run's definition, worked out once. */
const backoffs = new WeakMap<Action | Step, BackoffSpec | undefined>();

function backoffOf(run: ReviewRun, action: Action | Step): BackoffSpec | undefined {
  if (backoffs.has(action)) return backoffs.get(action);
  const backoff = backoffSpecFor(mergedRetry(run.pipeline, action.retry));
  backoffs.set(action, backoff);
  return backoff;
}

/** Activity options of each step's own call, made once per run (they depend only on the definition and the input). */
const stepOptions = new WeakMap<ReviewRun, Map<string, ActivityOptions>>();

function optionsFor(run: ReviewRun, step: Step, kind: StepKind, action: Action | Step, label: string): ActivityOptions {
  if (kind !== 'step') return buildOptions(run, step, kind, action, label);
  let byStep = stepOptions.get(run);
  if (!byStep) stepOptions.set(run, (byStep = new Map()));
  let options = byStep.get(step.id);
  if (!options) byStep.set(step.id, (options = buildOptions(run, step, kind, action, label)));
  return options;
}

function buildOptions(run: ReviewRun, step: Step, kind: StepKind, action: Action | Step, label: string): ActivityOptions {
  return activityOptionsFor({
    tier: run.tierOf(step),
    retry: mergedRetry(run.pipeline, action.retry),
    timeout: mergedTimeout(run.pipeline, action.timeout),
    summary: label,
    tenant: run.input.tenant,
    options: run.input.options,
    cancellationType:
      kind === 'step' && step.undo ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED : ActivityCancellationType.TRY_CANCEL,
  });
}

/** Calls the step activity for `action` (the step itself, its fallback, undo, reminder or escalation). */
export function callStep(run: ReviewRun, step: Step, kind: StepKind, action: Action | Step, label: string): Promise<StepResponse> {
  const options = optionsFor(run, step, kind, action, label);
  if (step.workspace && (kind === 'step' || kind === 'fallback' || kind === 'undo')) {
    // The request is built per attempt: a checkout that ran again elsewhere changes steps.<checkout>.output.
    return run.workspaces.call(step, action.timeout, options, (routed) => activities.runStep.executeWithOptions(routed, [request(run, step, kind, action)]));
  }
  return activities.runStep.executeWithOptions(options, [request(run, step, kind, action)]);
}

function attemptsAfter(err: unknown, run: ReviewRun, step: Step): number {
  const known = run.book.status(step.id)?.attempts ?? 1;
  const max = mergedRetry(run.pipeline, step.retry).maxAttempts ?? 3;
  return err instanceof ActivityFailure && err.retryState === 'MAXIMUM_ATTEMPTS_REACHED' ? Math.max(known, max) : known;
}

/**
 * Evaluates the step's `if:` as it becomes ready (callers skip the call for steps without one, so
 * those schedule their work in the same microtask as before). False: the step is skipped (with the reason). An
 * expression that cannot be evaluated is a failure of the step, handled by its `onFailure`.
 * Returns whether the step should run.
 */
export async function conditionHolds(run: ReviewRun, step: Step): Promise<boolean> {
  if (!step.if) return true;
  const now = new Date().toISOString();
  let holds: boolean;
  try {
    holds = evaluateCondition(step.if, run.expressionContext(), run.statusValuesFor(step));
  } catch (err) {
    run.book.set(step.id, step.gate ? 'awaiting_approval' : 'running', { startedAt: now, attempts: 0 });
    await handleFailure(run, step, `condition ${JSON.stringify(step.if)} could not be evaluated: ${errorMessage(err)}`);
    return false;
  }
  if (!holds) run.book.set(step.id, 'skipped', { skippedReason: `condition ${JSON.stringify(step.if)} was false`, endedAt: now });
  return holds;
}

/** How a task step tells the review it has finished: `done`, or `stopped` with an error nothing handled. */
export interface TaskEnd {
  done(): void;
  stopped(err: unknown): void;
}

/**
 * Runs a task step. A step without an `if:` schedules its activity at once and continues with one `then`
 * rather than async functions: each promise a workflow creates costs the SDK's sandbox a captured stack
 * trace, and this is the path every step takes.
 */
export function runTask(run: ReviewRun, step: Step, end: TaskEnd): void {
  if (step.if) void runTaskIfConditionHolds(run, step, end);
  else startTask(run, step, end);
}

async function runTaskIfConditionHolds(run: ReviewRun, step: Step, end: TaskEnd): Promise<void> {
  let holds: boolean;
  try {
    holds = await conditionHolds(run, step);
  } catch (err) {
    run.turn(() => end.stopped(err));
    return;
  }
  run.turn(() => (holds ? startTask(run, step, end) : end.done()));
}

function startTask(run: ReviewRun, step: Step, end: TaskEnd): void {
  run.book.set(step.id, 'running', { startedAt: new Date().toISOString(), attempts: 1, error: undefined });
  let call: Promise<StepResponse>;
  try {
    call = callStep(run, step, 'step', step, `${step.name ?? step.id} · ${step.uses}`);
  } catch (err) {
    taskFailed(run, step, err, end);
    return;
  }
  void call.then(
    (response) =>
      run.turn(() => {
        try {
          run.stepSucceeded(step, response);
        } catch (err) {
          taskFailed(run, step, err, end);
          return;
        }
        end.done();
      }),
    (err: unknown) => run.turn(() => taskFailed(run, step, err, end)),
  );
}

/** Reports how `work` ended to `end`, as one turn of the review. */
export function endInTurn(run: ReviewRun, work: Promise<void>, end: TaskEnd): void {
  void work.then(
    () => run.turn(end.done),
    (err: unknown) => run.turn(() => end.stopped(err)),
  );
}

function taskFailed(run: ReviewRun, step: Step, err: unknown, end: TaskEnd): void {
  if (isCancellation(err)) {
    run.book.set(step.id, 'cancelled', { error: 'cancelled', endedAt: new Date().toISOString() });
    end.done();
    return;
  }
  try {
    run.book.patch(step.id, { attempts: attemptsAfter(err, run, step) });
    endInTurn(run, handleFailure(run, step, errorMessage(err)), end);
  } catch (unexpected) {
    end.stopped(unexpected);
  }
}

/** Applies the step's `onFailure`: a fallback action, `continue` (the review goes on), or `fail` (the default). */
async function handleFailure(run: ReviewRun, step: Step, error: string): Promise<void> {
  const onFailure = step.onFailure ?? run.pipeline.defaults?.onFailure ?? 'fail';
  let message = error;
  if (typeof onFailure === 'object') {
    try {
      const response = await callStep(run, step, 'fallback', onFailure.fallback, `${step.name ?? step.id} · fallback ${onFailure.fallback.uses}`);
      run.stepSucceeded(step, response, { viaFallback: true, error: clipText(error) });
      return;
    } catch (err) {
      if (isCancellation(err)) {
        run.book.set(step.id, 'cancelled', { error: 'cancelled', endedAt: new Date().toISOString() });
        return;
      }
      message = `${error}; fallback failed: ${errorMessage(err)}`;
    }
  }
  const tolerated = onFailure === 'continue';
  run.book.set(step.id, 'failed', { error: clipText(message), endedAt: new Date().toISOString() });
  run.changed();
  log.warn('step failed', { step: step.id, error: clipText(message), tolerated });
  if (!tolerated) run.fail(`step ${step.id} failed: ${clipText(message)}`);
}
