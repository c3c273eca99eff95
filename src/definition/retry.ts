/**
 * The retry policy a step actually gets: its own settings over the pipeline's defaults over the
 * built-in defaults. Validation and the workflow both use this, so a pipeline that validates never
 * has its policy refused by Temporal at run time. Pure code (the workflow imports it).
 */
import { tryParseDuration } from './duration';
import type { RetrySpec } from './schema';

export const DEFAULT_RETRY = { maxAttempts: 3, initialInterval: '1s', backoffCoefficient: 2, maxInterval: '1m' } as const;

export interface EffectiveRetry {
  maxAttempts: number;
  initialIntervalMs: number;
  backoff: NonNullable<RetrySpec['backoff']>;
  backoffCoefficient: number;
  /** Never shorter than the initial interval. */
  maxIntervalMs: number;
  jitter: number;
  nonRetryableErrors?: string[];
}

/** Where an explicit maxInterval shorter than the initial interval comes from, for validation to report. */
export interface RetryConflict {
  initialInterval: string;
  maxInterval: string;
  maxIntervalFrom: 'step' | 'defaults';
}

function ms(text: unknown, fallback: string): number {
  return (typeof text === 'string' ? tryParseDuration(text) : undefined) ?? (tryParseDuration(fallback) as number);
}

/**
 * Without an explicit `maxInterval`, delays grow up to one minute, or up to the initial interval
 * when that is longer (so `initialInterval: 2m` alone is a valid policy).
 */
export function effectiveRetry(defaults: RetrySpec | undefined, own: RetrySpec | undefined): EffectiveRetry {
  const merged: RetrySpec = { ...defaults, ...own };
  const initialIntervalMs = ms(merged.initialInterval, DEFAULT_RETRY.initialInterval);
  const explicitMax = typeof merged.maxInterval === 'string' ? tryParseDuration(merged.maxInterval) : undefined;
  return {
    maxAttempts: merged.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    initialIntervalMs,
    backoff: merged.backoff ?? 'exponential',
    backoffCoefficient: merged.backoffCoefficient ?? DEFAULT_RETRY.backoffCoefficient,
    maxIntervalMs: Math.max(initialIntervalMs, explicitMax ?? ms(DEFAULT_RETRY.maxInterval, DEFAULT_RETRY.maxInterval)),
    jitter: merged.jitter ?? 0,
    nonRetryableErrors: merged.nonRetryableErrors,
  };
}

/** An explicit maxInterval (the step's or the defaults') shorter than the effective initial interval. */
export function retryConflict(defaults: RetrySpec | undefined, own: RetrySpec | undefined): RetryConflict | undefined {
  const merged: RetrySpec = { ...defaults, ...own };
  const initialText = merged.initialInterval ?? DEFAULT_RETRY.initialInterval;
  if (typeof merged.maxInterval !== 'string' || typeof initialText !== 'string') return undefined;
  const initial = tryParseDuration(initialText);
  const max = tryParseDuration(merged.maxInterval);
  if (initial === undefined || max === undefined || max >= initial) return undefined;
  return {
    initialInterval: initialText,
    maxInterval: merged.maxInterval,
    maxIntervalFrom: own?.maxInterval !== undefined ? 'step' : 'defaults',
  };
}
