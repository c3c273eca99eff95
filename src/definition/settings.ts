/** A step's effective settings: its own, else the pipeline's `defaults`, else the built-in defaults. */
import type { Pipeline, Priority, RetrySpec, Step, TimeoutSpec } from './schema';

export type FailurePolicy = NonNullable<Step['onFailure']>;

export interface StepSettings {
  priority: Priority;
  retry: RetrySpec;
  timeout: TimeoutSpec;
  onFailure: FailurePolicy;
}

export const DEFAULT_PRIORITY: Priority = 'normal';

export function resolveStepSettings(pipeline: Pick<Pipeline, 'defaults' | 'priority'>, step: Step): StepSettings {
  const defaults = pipeline.defaults ?? {};
  return {
    priority: step.priority ?? defaults.priority ?? pipeline.priority ?? DEFAULT_PRIORITY,
    retry: { ...defaults.retry, ...step.retry },
    timeout: { ...defaults.timeout, ...step.timeout },
    onFailure: step.onFailure ?? defaults.onFailure ?? 'fail',
  };
}

/** Whether a failure of this step lets the review and the steps that need it carry on. */
export function toleratesFailure(pipeline: Pick<Pipeline, 'defaults' | 'priority'>, step: Step): boolean {
  return resolveStepSettings(pipeline, step).onFailure === 'continue';
}
