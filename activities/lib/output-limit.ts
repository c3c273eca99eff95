/** Keeps step outputs well under Temporal's payload limits. */

export const DEFAULT_OUTPUT_LIMIT_BYTES = 256 * 1024;
const STRING_BUDGETS = [64 * 1024, 16 * 1024, 4 * 1024, 1024, 256];
const ARRAY_BUDGETS = [1000, 200, 50, 10];

export function serializedSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * `value` if it serializes within `maxBytes`; otherwise a copy with long strings and arrays cut
 * (each cut says so), or undefined when even that does not fit.
 */
export function limitOutput(value: unknown, maxBytes = DEFAULT_OUTPUT_LIMIT_BYTES): { value: unknown; truncated: boolean } | undefined {
  if (serializedSize(value) <= maxBytes) return { value, truncated: false };
  for (const maxString of STRING_BUDGETS) {
    for (const maxItems of ARRAY_BUDGETS) {
      const cut = shrink(value, maxString, maxItems, 0);
      if (serializedSize(cut) <= maxBytes) return { value: cut, truncated: true };
    }
  }
  return undefined;
}

export function truncateString(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}… [truncated ${text.length - maxChars} characters]`;
}

function shrink(value: unknown, maxString: number, maxItems: number, depth: number): unknown {
  if (typeof value === 'string') return truncateString(value, maxString);
  if (value === null || typeof value !== 'object' || depth > 50) return value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, maxItems).map((item) => shrink(item, maxString, maxItems, depth + 1));
    if (value.length > maxItems) kept.push(`[truncated ${value.length - maxItems} more items]`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = shrink(item, maxString, maxItems, depth + 1);
  return out;
}
