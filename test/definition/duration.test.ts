import { DurationError, durationProblem, formatDuration, isDuration, parseDuration, tryParseDuration } from '../../src/definition/duration';
import { DURATION_PATTERN } from '../../src/definition/schema';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['1m30s250ms', 90_250],
    ['1.5h', 5_400_000],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'the duration is empty: write it like 30s, 5m or 2h'],
    ['5', "'5' has no unit after 5: use ms, s, m, h, d or w (e.g. 5s)"],
    ['m', "'m' is not a duration: write it like 500ms, 30s, 5m, 2h, 2d, 1w or 1h30m"],
    ['5 m', "'5 m' has spaces: write it without them, as 5m"],
    ['5min', "unknown unit 'min' in '5min': use ms, s, m, h, d or w"],
    ['5 mins', "unknown unit 'mins' in '5 mins': use ms, s, m, h, d or w"],
    ['1h30M', "unknown unit 'M' in '1h30M': use ms, s, m, h, d or w"],
    ['-5s', "'-5s' is not a duration: write it like 500ms, 30s, 5m, 2h, 2d, 1w or 1h30m"],
    ['1h 30m', "'1h 30m' has spaces: write it without them, as 1h30m"],
    ['abc', "'abc' is not a duration: write it like 500ms, 30s, 5m, 2h, 2d, 1w or 1h30m"],
  ])('rejects %p, saying what it could not read', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
    expect(durationProblem(text)).toBe(message);
    expect(tryParseDuration(text)).toBeUndefined();
    expect(isDuration(text)).toBe(false);
  });

  it('has no problem with a duration, and names surrounding spaces (the schema refuses them)', () => {
    expect(durationProblem('1h30m')).toBeUndefined();
    expect(durationProblem(' 5m')).toBe("' 5m' has spaces: write it without them, as 5m");
  });

  it('agrees with the schema pattern', () => {
    for (const text of ['500ms', '1h30m', '2d', '1.5h', '5min', '5 m']) {
      expect(isDuration(text)).toBe(DURATION_PATTERN.test(text));
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1_500, '1s500ms'],
    [5_400_000, '1h30m'],
    [86_400_000, '1d'],
    [691_200_000, '1w1d'],
    [-30_000, '-30s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 61_001, 3_600_000 * 49 + 7, 604_800_000 * 3 + 1]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses non-finite numbers', () => {
    expect(() => formatDuration(Infinity)).toThrow(RangeError);
  });
});
