/**
 * The memory the operator gives the worker (REVIEW_WORKER_MEMORY) bounds both the cache of reviews and the V8
 * heaps: without a heap limit V8 sizes its heaps from the machine's memory and lets garbage from replaying
 * evicted reviews pile up far past what the cache holds.
 */
import { setFlagsFromString } from 'node:v8';
import { cachedReviews, type WorkerConfig } from './config';

/** What one cached review holds on the workflow thread's heap (measured by the open-reviews benchmark). */
export const CACHED_REVIEW_HEAP_BYTES = 200 * 2 ** 10;
const HEAP_FLOOR_BYTES = 48 * 2 ** 20;

/** The old-generation limit of each V8 heap: room for the cache twice over, above a floor for the code itself. */
export function heapLimitBytes(config: WorkerConfig): number {
  return HEAP_FLOOR_BYTES + 2 * cachedReviews(config) * CACHED_REVIEW_HEAP_BYTES;
}

/**
 * Applies the heap limit to the heaps created from now on: call it before the workers start, so the workflow
 * thread gets it (the main thread's heap keeps the limit it started with, or NODE_OPTIONS' --max-old-space-size).
 * Returns the limit in MiB, or undefined when NODE_OPTIONS already sets one.
 */
export function applyHeapLimit(config: WorkerConfig, nodeOptions = process.env.NODE_OPTIONS ?? ''): number | undefined {
  if (/--max-old-space-size/.test(nodeOptions) || process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) return undefined;
  const mb = Math.ceil(heapLimitBytes(config) / 2 ** 20);
  setFlagsFromString(`--max-old-space-size=${mb}`);
  return mb;
}
