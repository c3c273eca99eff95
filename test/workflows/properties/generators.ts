/**
 * fast-check arbitraries of review cases: random small pipelines (a DAG over earlier steps, gates,
 * failing steps, conditions, undo actions) times random scripts of messages with time-skipped gaps.
 * Pipeline and script are drawn independently and joined by `buildCase`, so both shrink on their own.
 */
import fc from 'fast-check';
import {
  type Condition,
  type DurationText,
  type FailurePolicy,
  type GateCase,
  type Message,
  type Person,
  type ReviewCase,
  type ScriptEntry,
  type StepCase,
  type TaskCase,
  type TimeoutPolicy,
} from './model';
import { ancestorsOf } from './oracle';

const HOUR = 3_600_000;

/** `arbitrary` with the given probability, null otherwise (shrinks towards null). */
function sometimes<T>(probability: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  const weight = Math.round(probability * 10);
  return fc.oneof({ weight: 10 - weight, arbitrary: fc.constant(null) }, { weight, arbitrary });
}

interface RawStep {
  kind: 'echo' | 'fail' | 'flaky' | 'gate';
  needPicks: number[];
  delayMs: number;
  failTimes: number;
  nonRetryable: boolean;
  maxAttempts: 1 | 2;
  onFailure: FailurePolicy;
  undo: boolean;
  required: 1 | 2;
  deadline: DurationText | null;
  onTimeout: TimeoutPolicy | null;
  cond: { kind: 'true' | 'false' | 'status==' | 'status!=' | 'firstAttempt'; pick: number } | null;
}

/** A step reference in a message: a gate of the pipeline (by index), any step, or none. */
type RawTarget = { kind: 'gate' | 'step'; pick: number } | null;

type RawMessage =
  | { kind: 'pause' | 'resume' | 'cancel' | 'repair' }
  | { kind: 'decide'; verdict: 'approve' | 'reject'; via: 'update' | 'signal'; by: Person; target: RawTarget }
  | { kind: 'retry'; target: RawTarget };

interface RawCase {
  steps: RawStep[];
  timeout: DurationText | null;
  maxParallel: 1 | 2 | null;
  retryWindow: boolean;
  historyLimit: number | null;
  script: { gapMs: number; message: RawMessage }[];
}

const deadlines: DurationText[] = ['1h', '6h', '12h', '1d', '2d'];
const reviewTimeouts: DurationText[] = ['30m', '1h', '90m', '2h', '3h'];

const rawStep: fc.Arbitrary<RawStep> = fc.record({
  kind: fc.oneof(
    { weight: 4, arbitrary: fc.constant('echo' as const) },
    { weight: 2, arbitrary: fc.constant('fail' as const) },
    { weight: 1, arbitrary: fc.constant('flaky' as const) },
    { weight: 3, arbitrary: fc.constant('gate' as const) },
  ),
  needPicks: fc.array(fc.nat(), { maxLength: 2 }),
  delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  failTimes: fc.integer({ min: 0, max: 3 }),
  nonRetryable: fc.boolean(),
  maxAttempts: fc.constantFrom(1 as const, 2 as const),
  onFailure: fc.oneof(
    { weight: 3, arbitrary: fc.constant('fail' as const) },
    { weight: 2, arbitrary: fc.constant('continue' as const) },
    { weight: 1, arbitrary: fc.constant('fallback-echo' as const) },
    { weight: 1, arbitrary: fc.constant('fallback-fail' as const) },
  ),
  undo: fc.boolean(),
  required: fc.constantFrom(1 as const, 2 as const),
  deadline: sometimes(0.6, fc.constantFrom(...deadlines)),
  onTimeout: sometimes(0.7, fc.constantFrom('reject' as const, 'approve' as const, 'fail' as const)),
  cond: sometimes(
    0.3,
    fc.record({ kind: fc.constantFrom('true' as const, 'false' as const, 'status==' as const, 'status!=' as const, 'firstAttempt' as const), pick: fc.nat() }),
  ),
});

/** Gaps between messages: at once, a few seconds, minutes to hours, or days (all time-skipped). */
const gapMs: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 200, max: 3_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 60_000, max: 6 * HOUR }) },
  { weight: 2, arbitrary: fc.integer({ min: 12 * HOUR, max: 72 * HOUR }) },
);

const target: fc.Arbitrary<RawTarget> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('gate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('step' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant(null) },
);

const rawMessage: fc.Arbitrary<RawMessage> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'pause' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'resume' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      verdict: fc.oneof({ weight: 3, arbitrary: fc.constant('approve' as const) }, { weight: 1, arbitrary: fc.constant('reject' as const) }),
      via: fc.oneof({ weight: 2, arbitrary: fc.constant('update' as const) }, { weight: 1, arbitrary: fc.constant('signal' as const) }),
      by: fc.oneof(
        { weight: 3, arbitrary: fc.constant('alice' as const) },
        { weight: 3, arbitrary: fc.constant('bob' as const) },
        { weight: 1, arbitrary: fc.constant('mallory' as const) },
      ),
      target,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retry' as const), target }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'repair' as const }) },
);

const rawCase: fc.Arbitrary<RawCase> = fc.record({
  steps: fc.array(rawStep, { minLength: 2, maxLength: 6 }),
  timeout: sometimes(0.4, fc.constantFrom(...reviewTimeouts)),
  maxParallel: sometimes(0.4, fc.constantFrom(1 as const, 2 as const)),
  retryWindow: fc.boolean(),
  // Small enough that these short reviews do continue as new, often more than once.
  historyLimit: sometimes(0.4, fc.integer({ min: 12, max: 60 })),
  script: fc.array(fc.record({ gapMs, message: rawMessage }), { maxLength: 8 }),
});

function buildCondition(raw: RawStep['cond'], upstream: StepCase[]): Condition | undefined {
  if (!raw) return undefined;
  const tasks = upstream.filter((s) => s.task);
  if (raw.kind === 'true' || raw.kind === 'false' || upstream.length === 0) return { kind: 'literal', value: raw.kind !== 'false' };
  if (raw.kind === 'firstAttempt') {
    const step = tasks[raw.pick % Math.max(tasks.length, 1)];
    return step ? { kind: 'firstAttempt', step: step.id } : { kind: 'literal', value: true };
  }
  const step = upstream[raw.pick % upstream.length] as StepCase;
  return { kind: 'status', step: step.id, equals: raw.kind === 'status==' };
}

function buildStep(raw: RawStep, index: number, earlier: StepCase[]): StepCase {
  const id = `s${index}`;
  const needs = index === 0 ? [] : [...new Set(raw.needPicks.map((p) => `s${p % index}`))].sort();
  const partial: StepCase = { id, needs };
  const ancestors = new Set(ancestorsOf([...earlier, partial], id));
  const condition = buildCondition(raw.cond, earlier.filter((s) => ancestors.has(s.id)));
  if (condition) partial.if = condition;
  if (raw.kind === 'gate') {
    const gate: GateCase = { required: raw.required };
    if (raw.deadline) gate.deadline = raw.deadline;
    if (raw.deadline && raw.onTimeout) gate.onTimeout = raw.onTimeout;
    partial.gate = gate;
  } else {
    const task: TaskCase = { kind: raw.kind, delayMs: raw.delayMs, onFailure: raw.onFailure, undo: raw.undo };
    if (raw.kind === 'fail') task.fail = { failTimes: raw.failTimes, nonRetryable: raw.nonRetryable, maxAttempts: raw.maxAttempts };
    partial.task = task;
  }
  return partial;
}

function buildTarget(raw: RawTarget, steps: StepCase[]): string | undefined {
  if (!raw) return undefined;
  const pool = raw.kind === 'gate' ? steps.filter((s) => s.gate) : steps;
  const chosen = (pool.length ? pool : steps)[raw.pick % (pool.length || steps.length)];
  return chosen?.id;
}

function buildMessage(raw: RawMessage, steps: StepCase[]): Message {
  switch (raw.kind) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'repair':
      return { kind: raw.kind };
    case 'decide': {
      const step = buildTarget(raw.target, steps);
      return { kind: 'decide', verdict: raw.verdict, via: raw.via, by: raw.by, ...(step ? { step } : {}) };
    }
    case 'retry': {
      const from = raw.target ? buildTarget({ kind: 'step', pick: raw.target.pick }, steps) : undefined;
      return { kind: 'retry', ...(from ? { from } : {}) };
    }
  }
}

export function buildCase(raw: RawCase): ReviewCase {
  const steps: StepCase[] = [];
  raw.steps.forEach((step, i) => steps.push(buildStep(step, i, steps)));
  const script: ScriptEntry[] = raw.script.map((entry) => ({ gapMs: entry.gapMs, message: buildMessage(entry.message, steps) }));
  const c: ReviewCase = { pipeline: { steps }, script };
  if (raw.timeout) c.pipeline.timeout = raw.timeout;
  if (raw.maxParallel) c.pipeline.maxParallel = raw.maxParallel;
  if (raw.retryWindow) c.retryWindow = '1h';
  if (raw.historyLimit) c.historyLimit = raw.historyLimit;
  return c;
}

/** Review cases: 2–6 steps, up to 8 scripted messages. */
export function reviewCaseArbitrary(): fc.Arbitrary<ReviewCase> {
  return rawCase.map(buildCase);
}

