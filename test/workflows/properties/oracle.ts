/**
 * What the generated pipelines must do, computed from the case alone (never from the workflow's code):
 * the DAG's ancestors and descendants, how each task ends (the recording activities are deterministic),
 * and the final state of every step in a review that completes.
 */
import type { Condition, ReviewCase, StepCase, TaskCase } from './model';

export type PredictedState = 'succeeded' | 'failed' | 'skipped';

export interface TaskPrediction {
  succeeds: boolean;
  /** The attempt whose output the step keeps (1 for a fallback's output). */
  attempt: number;
  viaFallback: boolean;
  /** A failure the review tolerates (`onFailure: continue`). */
  tolerated: boolean;
}

export function ancestorsOf(steps: readonly Pick<StepCase, 'id' | 'needs'>[], id: string): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const visit = (sid: string): void => {
    for (const need of byId.get(sid)?.needs ?? []) {
      if (seen.has(need)) continue;
      seen.add(need);
      visit(need);
    }
  };
  visit(id);
  return [...seen];
}

export function descendantsOf(steps: readonly Pick<StepCase, 'id' | 'needs'>[], id: string): string[] {
  return steps.filter((s) => ancestorsOf(steps, s.id).includes(id)).map((s) => s.id);
}

/**
 * How a task ends. The recording `fail` executor fails attempts 1..failTimes (`nonRetryable` stops at
 * the first failure); `flaky` fails until repaired, so whether its last run worked is observed (`flakyWorked`).
 */
export function predictTask(task: TaskCase, flakyWorked = true): TaskPrediction {
  const fail = task.fail;
  let mainSucceeds = true;
  let attempt = 1;
  if (task.kind === 'flaky') mainSucceeds = flakyWorked;
  if (task.kind === 'fail' && fail) {
    mainSucceeds = fail.nonRetryable ? fail.failTimes === 0 : fail.failTimes < fail.maxAttempts;
    attempt = fail.failTimes + 1;
  }
  if (mainSucceeds) return { succeeds: true, attempt, viaFallback: false, tolerated: false };
  if (task.onFailure === 'fallback-echo') return { succeeds: true, attempt: 1, viaFallback: true, tolerated: false };
  return { succeeds: false, attempt, viaFallback: false, tolerated: task.onFailure === 'continue' };
}

export type FlakyWorked = (id: string) => boolean;

function conditionHolds(cond: Condition, states: Map<string, PredictedState>, steps: Map<string, StepCase>, flaky: FlakyWorked): boolean {
  switch (cond.kind) {
    case 'literal':
      return cond.value;
    case 'status':
      return (states.get(cond.step) === 'succeeded') === cond.equals;
    case 'firstAttempt': {
      const task = steps.get(cond.step)?.task;
      return task !== undefined && predictTask(task, flaky(cond.step)).attempt === 1;
    }
  }
}

export interface CompletedPrediction {
  states: Map<string, PredictedState>;
  /** Steps whose failure would decide the review: a review with any of them cannot complete. */
  decidingFailures: string[];
}

/**
 * The final state of every step if the review runs to the end with every gate approved:
 * a step is skipped when one of its needs did not succeed or its condition is false.
 */
export function predictCompleted(c: ReviewCase, flaky: FlakyWorked): CompletedPrediction {
  const states = new Map<string, PredictedState>();
  const byId = new Map(c.pipeline.steps.map((s) => [s.id, s]));
  const decidingFailures: string[] = [];
  for (const step of c.pipeline.steps) {
    if (step.needs.some((n) => states.get(n) !== 'succeeded')) {
      states.set(step.id, 'skipped');
      continue;
    }
    if (step.if && !conditionHolds(step.if, states, byId, flaky)) {
      states.set(step.id, 'skipped');
      continue;
    }
    if (step.gate || !step.task) {
      states.set(step.id, 'succeeded');
      continue;
    }
    const prediction = predictTask(step.task, flaky(step.id));
    states.set(step.id, prediction.succeeds ? 'succeeded' : 'failed');
    if (!prediction.succeeds && !prediction.tolerated) decidingFailures.push(step.id);
  }
  return { states, decidingFailures };
}

export function isTolerated(step: StepCase | undefined): boolean {
  return step?.task?.onFailure === 'continue';
}
