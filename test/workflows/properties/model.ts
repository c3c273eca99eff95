/**
 * The cases the lifecycle properties run: a small pipeline, review options and a script of messages.
 * Plain data, so fast-check can shrink it and a counterexample prints as it was run.
 */
import type { PipelineInput } from '../../../src/definition/schema';
import type { ReviewOptions } from '../../../workflows/types';

export type Person = 'alice' | 'bob' | 'mallory';
export const APPROVERS: readonly Person[] = ['alice', 'bob'];

/** Durations the generators pick from, with their length, so the checks never parse what the workflow parses. */
export const DURATIONS = {
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '90m': 90 * 60_000,
  '2h': 2 * 3_600_000,
  '3h': 3 * 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '1d': 24 * 3_600_000,
  '2d': 48 * 3_600_000,
} as const;
export type DurationText = keyof typeof DURATIONS;

/** A step condition: a literal, or a reference to an upstream step. */
export type Condition =
  | { kind: 'literal'; value: boolean }
  | { kind: 'status'; step: string; equals: boolean }
  | { kind: 'firstAttempt'; step: string };

export interface FailBehaviour {
  failTimes: number;
  nonRetryable: boolean;
  maxAttempts: 1 | 2;
}

export type FailurePolicy = 'fail' | 'continue' | 'fallback-echo' | 'fallback-fail';
export type TimeoutPolicy = 'reject' | 'approve' | 'fail';

export interface GateCase {
  required: 1 | 2;
  deadline?: DurationText;
  /** Only set with a deadline (validation refuses it otherwise); absent means 'reject'. */
  onTimeout?: TimeoutPolicy;
}

export interface TaskCase {
  /** `flaky`: fails (non-retryably) until the script repairs it. */
  kind: 'echo' | 'fail' | 'flaky';
  delayMs: number;
  fail?: FailBehaviour;
  onFailure: FailurePolicy;
  undo: boolean;
}

export interface StepCase {
  id: string;
  needs: string[];
  if?: Condition;
  task?: TaskCase;
  gate?: GateCase;
}

export interface PipelineCase {
  steps: StepCase[];
  timeout?: DurationText;
  maxParallel?: 1 | 2;
}

export type Message =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'decide'; verdict: 'approve' | 'reject'; via: 'update' | 'signal'; by: Person; step?: string }
  | { kind: 'cancel' }
  | { kind: 'retry'; from?: string }
  /** Not a message to the review: from now on the flaky steps work (what an operator fixes before a retry). */
  | { kind: 'repair' };

export interface ScriptEntry {
  /** Time-skipped server time slept before the message (0: sent at once). */
  gapMs: number;
  message: Message;
}

export interface ReviewCase {
  pipeline: PipelineCase;
  retryWindow?: DurationText;
  historyLimit?: number;
  script: ScriptEntry[];
}

export function stepOf(c: ReviewCase, id: string): StepCase | undefined {
  return c.pipeline.steps.find((s) => s.id === id);
}

export function conditionText(cond: Condition): string {
  switch (cond.kind) {
    case 'literal':
      return String(cond.value);
    case 'status':
      return `steps.${cond.step}.status ${cond.equals ? '==' : '!='} 'succeeded'`;
    case 'firstAttempt':
      return `steps.${cond.step}.output.attempt == 1`;
  }
}

function taskFields(step: StepCase, task: TaskCase): Record<string, unknown> {
  const fields: Record<string, unknown> = { uses: task.kind };
  if (task.kind === 'echo') {
    fields.with = { delayMs: task.delayMs };
  } else if (task.kind === 'flaky') {
    fields.with = {};
    fields.retry = { maxAttempts: 1 };
  } else {
    const fail = task.fail ?? { failTimes: 1, nonRetryable: false, maxAttempts: 1 };
    fields.with = { failTimes: fail.failTimes, nonRetryable: fail.nonRetryable };
    fields.retry = { maxAttempts: fail.maxAttempts, initialInterval: '1s' };
  }
  if (task.onFailure === 'continue') fields.onFailure = 'continue';
  if (task.onFailure === 'fallback-echo') fields.onFailure = { fallback: { uses: 'echo', with: { fallbackFor: step.id } } };
  if (task.onFailure === 'fallback-fail') {
    fields.onFailure = { fallback: { uses: 'fail', with: { failTimes: 99, nonRetryable: true }, retry: { maxAttempts: 1 } } };
  }
  if (task.undo) fields.undo = { uses: 'echo', with: { undoing: step.id } };
  return fields;
}

function gateFields(gate: GateCase): Record<string, unknown> {
  const spec: Record<string, unknown> = { approvers: [...APPROVERS], required: gate.required };
  if (gate.deadline) spec.deadline = gate.deadline;
  if (gate.deadline && gate.onTimeout) spec.onTimeout = gate.onTimeout;
  return { gate: spec };
}

/** The pipeline document the case starts. */
export function pipelineInput(c: ReviewCase): PipelineInput {
  const steps = c.pipeline.steps.map((step) => ({
    id: step.id,
    ...(step.needs.length ? { needs: step.needs } : {}),
    ...(step.if ? { if: conditionText(step.if) } : {}),
    ...(step.gate ? gateFields(step.gate) : step.task ? taskFields(step, step.task) : {}),
  }));
  return {
    name: 'lifecycle-property',
    ...(c.pipeline.timeout ? { timeout: c.pipeline.timeout } : {}),
    ...(c.pipeline.maxParallel ? { maxParallel: c.pipeline.maxParallel } : {}),
    steps,
  } as PipelineInput;
}

export function reviewOptions(c: ReviewCase): ReviewOptions {
  return {
    ...(c.retryWindow ? { retryWindow: c.retryWindow } : {}),
    ...(c.historyLimit ? { historyLimit: c.historyLimit } : {}),
  };
}

export function timeoutPolicy(gate: GateCase): TimeoutPolicy | undefined {
  return gate.deadline ? (gate.onTimeout ?? 'reject') : undefined;
}

/** Whether a failure of this task ends the review (default `fail`, or a fallback that fails too). */
export function failureDecides(task: TaskCase): boolean {
  return task.onFailure === 'fail' || task.onFailure === 'fallback-fail';
}
