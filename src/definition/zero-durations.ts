/**
 * Durations that may not be 0 (or round to 0 ms): Temporal refuses a retry policy without a delay and an
 * activity without a timeout, and a review timeout of 0 ends the review as it starts. Pure code.
 */
import { tryParseDuration } from './duration';
import type { IssuePath } from './issues';

type Obj = Record<string, unknown>;

export interface ZeroDuration {
  path: IssuePath;
  message: string;
  hint: string;
}

const asObj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const isZero = (v: unknown): v is string => typeof v === 'string' && tryParseDuration(v) === 0;

const NO_TIME = 'it leaves the step no time to run';

const TIMEOUTS: Record<string, { why?: string; hint: string }> = {
  startToClose: { why: NO_TIME, hint: 'use a positive duration such as 5m, or leave it out for the default (10m)' },
  scheduleToClose: { why: NO_TIME, hint: 'use a positive duration such as 1h, or leave it out' },
  heartbeat: { hint: 'leave heartbeat out for none, or use a positive duration such as 30s' },
  scheduleToStart: { hint: 'leave scheduleToStart out for none, or use a positive duration such as 5m' },
};

const zeroMessage = (key: string, value: string, why?: string): string => `${key} ${value} is 0 ms${why ? `: ${why}` : ''}`;

/** Retry intervals and timeouts of something that runs (a step, an action, `defaults`). */
function ofRunnable(holder: Obj | undefined, path: IssuePath, out: ZeroDuration[]): void {
  if (!holder) return;
  const retry = asObj(holder.retry);
  for (const key of ['initialInterval', 'maxInterval'] as const) {
    const value = retry?.[key];
    if (isZero(value)) out.push({ path: [...path, 'retry', key], message: zeroMessage(key, value, 'Temporal refuses a retry policy without a delay'), hint: 'use a positive duration such as 1s (1ms at least)' });
  }
  const { timeout } = holder;
  if (isZero(timeout)) out.push({ path: [...path, 'timeout'], message: zeroMessage('timeout', timeout, NO_TIME), hint: TIMEOUTS.startToClose?.hint as string });
  const spec = asObj(timeout);
  for (const [key, { why, hint }] of Object.entries(TIMEOUTS)) {
    const value = spec?.[key];
    if (isZero(value)) out.push({ path: [...path, 'timeout', key], message: zeroMessage(key, value, why), hint });
  }
}

export function zeroDurations(raw: Obj): ZeroDuration[] {
  const out: ZeroDuration[] = [];
  if (isZero(raw.timeout)) out.push({ path: ['timeout'], message: zeroMessage('timeout', raw.timeout, 'the review would time out as it starts'), hint: 'use a positive duration such as 2h, or leave timeout out for none' });
  ofRunnable(asObj(raw.defaults), ['defaults'], out);
  const steps = Array.isArray(raw.steps) ? raw.steps : [];
  steps.forEach((value, i) => {
    const step = asObj(value);
    if (!step) return;
    ofRunnable(step, ['steps', i], out);
    ofRunnable(asObj(asObj(step.onFailure)?.fallback), ['steps', i, 'onFailure', 'fallback'], out);
    ofRunnable(asObj(step.undo), ['steps', i, 'undo'], out);
    const gate = asObj(step.gate);
    ofRunnable(asObj(gate?.remind), ['steps', i, 'gate', 'remind'], out);
    ofRunnable(asObj(gate?.escalate), ['steps', i, 'gate', 'escalate'], out);
  });
  const actions = Array.isArray(raw.finally) ? raw.finally : [];
  actions.forEach((value, i) => ofRunnable(asObj(value), ['finally', i], out));
  return out;
}
