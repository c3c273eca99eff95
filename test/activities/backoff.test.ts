import { needsOwnDelay, retryDelayMs } from '../../activities/lib/backoff';
import type { BackoffSpec } from '../../activities/types';

const spec = (over: Partial<BackoffSpec>): BackoffSpec => ({
  backoff: 'exponential',
  initialIntervalMs: 1_000,
  coefficient: 2,
  maxIntervalMs: 30_000,
  jitter: 0,
  ...over,
});

describe('retry delays', () => {
  test('linear, fixed and exponential growth, capped at the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(spec({ backoff: 'linear' }), n))).toEqual([1_000, 2_000, 3_000, 4_000]);
    expect([1, 2, 3].map((n) => retryDelayMs(spec({ backoff: 'fixed' }), n))).toEqual([1_000, 1_000, 1_000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(spec({}), n))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(spec({}), 20)).toBe(30_000);
    expect(retryDelayMs(spec({ backoff: 'linear', maxIntervalMs: 2_500 }), 5)).toBe(2_500);
  });

  test('jitter spreads each delay by at most the given fraction', () => {
    const jittered = spec({ backoff: 'fixed', jitter: 0.25 });
    expect(retryDelayMs(jittered, 1, () => 0)).toBe(750);
    expect(retryDelayMs(jittered, 1, () => 1)).toBe(1_250);
    expect(retryDelayMs(jittered, 1, () => 0.5)).toBe(1_000);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(jittered, 3);
      expect(delay).toBeGreaterThanOrEqual(750);
      expect(delay).toBeLessThanOrEqual(1_250);
    }
  });

  test('Temporal computes plain exponential backoff itself', () => {
    expect(needsOwnDelay(undefined)).toBe(false);
    expect(needsOwnDelay(spec({}))).toBe(false);
    expect(needsOwnDelay(spec({ jitter: 0.1 }))).toBe(true);
    expect(needsOwnDelay(spec({ backoff: 'linear' }))).toBe(true);
  });
});
