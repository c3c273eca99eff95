/**
 * Keeps what a review carries small whatever its steps return: each step's output is cut to its share
 * of a total budget, keeping small values whole (what `${{ steps.x.output.y }}` usually reads) and
 * shortening long strings and arrays, with a `$truncated` note that says what was cut. Pure code.
 */

/** All step outputs of one review together, as JSON. */
export const OUTPUT_BUDGET_BYTES = 512 * 1024;
export const MAX_STEP_OUTPUT_BYTES = 64 * 1024;
const MIN_STEP_OUTPUT_BYTES = 256;
export const MAX_TEXT_CHARS = 2000;

export interface Truncated {
  $truncated: string;
}

export function stepOutputBudget(stepCount: number): number {
  const share = Math.floor(OUTPUT_BUDGET_BYTES / Math.max(1, stepCount));
  return Math.max(MIN_STEP_OUTPUT_BYTES, Math.min(MAX_STEP_OUTPUT_BYTES, share));
}

export function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value ?? null).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A string cut to `max` characters, saying how long it was. */
export function clipText(text: string, max = MAX_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters cut)`;
}

function shrink(value: unknown, stringMax: number, arrayMax: number, depth: number): unknown {
  if (typeof value === 'string') return clipText(value, stringMax);
  if (value === null || typeof value !== 'object') return value;
  if (depth <= 0) return { $truncated: 'nested value left out' } satisfies Truncated;
  if (Array.isArray(value)) {
    const kept = value.slice(0, arrayMax).map((v) => shrink(v, stringMax, arrayMax, depth - 1));
    if (value.length > arrayMax) kept.push({ $truncated: `${value.length - arrayMax} more items left out` } satisfies Truncated);
    return kept;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = shrink(v, stringMax, arrayMax, depth - 1);
  return out;
}

/** Only the top-level values that are small on their own: booleans, numbers, short strings. */
function scalarsOnly(value: unknown, budget: number, size: number): unknown {
  const note = `output of ${size} bytes cut to fit the review's budget of ${budget} bytes per step`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { $truncated: note } satisfies Truncated;
  const out: Record<string, unknown> = { $truncated: note };
  let used = jsonSize(out);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const small = typeof v === 'boolean' || typeof v === 'number' || v === null || (typeof v === 'string' && v.length <= 200);
    if (!small) continue;
    const cost = jsonSize(k) + jsonSize(v) + 2;
    if (used + cost > budget) break;
    out[k] = v;
    used += cost;
  }
  return out;
}

/** `value` itself when it fits `budget` bytes of JSON, otherwise a smaller copy that says what was cut. */
export function compactOutput(value: unknown, budget: number): unknown {
  const size = jsonSize(value);
  if (size <= budget) return value;
  if (Number.isFinite(size)) {
    for (const [stringMax, arrayMax] of [
      [4000, 100],
      [500, 20],
      [100, 5],
    ] as const) {
      const smaller = shrink(value, stringMax, arrayMax, 6);
      if (jsonSize(smaller) <= budget) return smaller;
    }
  }
  return scalarsOnly(value, budget, size);
}
