/** Durations written as `500ms`, `30s`, `5m`, `2h`, `2d`, `1w` or combinations such as `1h30m`. */

const UNIT_MS = {
  w: 7 * 24 * 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  h: 60 * 60 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
} as const;
type Unit = keyof typeof UNIT_MS;

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

export class DurationError extends Error {
  constructor(readonly input: string) {
    super(durationProblem(input) ?? `'${input}' is not a duration: write it like 500ms, 30s, 5m, 2h, 2d, 1w or 1h30m`);
    this.name = 'DurationError';
  }
}

export function isDuration(text: string): boolean {
  return WHOLE.test(text);
}

const UNITS_TEXT = 'use ms, s, m, h, d or w';

/**
 * What is wrong with `text` as a duration, naming what could not be read (`5 mins` → unknown unit
 * 'mins'); undefined when it is one. Surrounding spaces count as a problem: the pipeline schema refuses them.
 */
export function durationProblem(text: string): string | undefined {
  if (WHOLE.test(text)) return undefined;
  const shown = `'${text}'`;
  const trimmed = text.trim();
  if (trimmed === '') return `the duration is empty: write it like 30s, 5m or 2h`;
  if (/^(?:\d+(?:\.\d+)?\s*[A-Za-z]*\s*)+$/.test(trimmed)) {
    for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([A-Za-z]*)/g)) {
      const [, amount, unit] = match as unknown as [string, string, string];
      if (unit === '') return `${shown} has no unit after ${amount}: ${UNITS_TEXT} (e.g. ${amount}s)`;
      if (!Object.prototype.hasOwnProperty.call(UNIT_MS, unit)) return `unknown unit '${unit}' in ${shown}: ${UNITS_TEXT}`;
    }
    return `${shown} has spaces: write it without them, as ${trimmed.replace(/\s+/g, '')}`;
  }
  return `${shown} is not a duration: write it like 500ms, 30s, 5m, 2h, 2d, 1w or 1h30m`;
}

/** Durations already read: a review reads the same few (`10m`, `1s`, `1m`) for every step it starts. */
const known = new Map<string, number>();

/** Milliseconds in `text`; throws DurationError when it is not a duration. */
export function parseDuration(text: string): number {
  const cached = known.get(text);
  if (cached !== undefined) return cached;
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) throw new DurationError(text);
  let total = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as Unit];
  }
  const ms = Math.round(total);
  if (text.length <= 16 && known.size < 64) known.set(text, ms);
  return ms;
}

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function tryParseDuration(text: string): number | undefined {
  if (known.has(text)) return known.get(text);
  return isDuration(text.trim()) ? parseDuration(text) : undefined;
}

/** The shortest exact form: 5_400_000 → `1h30m`, 1_500 → `1s500ms`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format ${ms} as a duration`);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let out = ms < 0 ? '-' : '';
  for (const unit of Object.keys(UNIT_MS) as Unit[]) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
