import type { BackoffSpec } from '../types';

/** Whether the activity must compute its own next delay rather than leave it to Temporal's retry policy. */
export function needsOwnDelay(spec: BackoffSpec | undefined): spec is BackoffSpec {
  return spec !== undefined && (spec.backoff !== 'exponential' || spec.jitter > 0);
}

/**
 * Delay before the attempt after `attempt` (1-based): linear grows by the initial interval, fixed
 * stays, exponential multiplies by the coefficient; capped at the maximum, then spread by ±jitter.
 */
export function retryDelayMs(spec: BackoffSpec, attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, attempt);
  let base: number;
  switch (spec.backoff) {
    case 'linear':
      base = spec.initialIntervalMs * n;
      break;
    case 'fixed':
      base = spec.initialIntervalMs;
      break;
    case 'exponential':
      base = spec.initialIntervalMs * Math.pow(spec.coefficient, n - 1);
      break;
  }
  const capped = spec.maxIntervalMs > 0 ? Math.min(base, spec.maxIntervalMs) : base;
  const jitter = Math.min(Math.max(spec.jitter, 0), 1);
  const spread = jitter === 0 ? 1 : 1 + jitter * (2 * random() - 1);
  return Math.max(0, Math.round(capped * spread));
}
