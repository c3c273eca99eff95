/**
 * The memory the operator gives the worker (REVIEW_WORKER_MEMORY) bounds both the cache of reviews and the V8
 * heaps: without a heap limit V8 sizes its heaps from the machine's memory and lets garbage from replaying
 * evicted reviews pile up far past what the cache holds.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { cachedReviews, loadWorkerConfig, type WorkerConfig } from './config';

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

/**
 * The floor of the main thread's old-generation limit: a cap well above what its activities and the SDK's work
 * between the core and the workflow thread keep alive, so that V8 collects their garbage instead of growing the
 * heap. A limit of 128 MiB bounded RSS as well but cost the main thread more collections under load.
 */
const MAIN_HEAP_FLOOR_BYTES = 256 * 2 ** 20;
/** What V8 adds to `--max-old-space-size` in `heap_size_limit` (the young generation), and some slack. */
const YOUNG_GENERATION_SLACK_BYTES = 64 * 2 ** 20;

/**
 * The `--max-old-space-size` (MiB) the worker's process should start with. The main thread's heap is sized when
 * the process starts, before any configuration is read; left to V8's default (a quarter of the machine's
 * memory), it let the garbage of replaying 10,000 evicted reviews take the process from 270 to 320–400 MB RSS
 * (`npm run bench -- --only open-reviews --reviews 10000`); with this limit, 256 MB.
 */
export function recommendedNodeHeapMb(config: WorkerConfig): number {
  return Math.ceil(Math.max(MAIN_HEAP_FLOOR_BYTES, heapLimitBytes(config)) / 2 ** 20);
}

/** The `node` flag that starts a worker process with the recommended heap limit for the environment it is given. */
export function recommendedHeapFlag(env: NodeJS.ProcessEnv): string {
  return `--max-old-space-size=${recommendedNodeHeapMb(loadWorkerConfig(env))}`;
}

/** A warning, naming the NODE_OPTIONS to set, when the main thread's heap may grow well past the recommended limit. */
export function mainHeapAdvice(config: WorkerConfig, heapSizeLimitBytes = getHeapStatistics().heap_size_limit): string | undefined {
  const recommended = recommendedNodeHeapMb(config);
  if (heapSizeLimitBytes <= recommended * 2 ** 20 + YOUNG_GENERATION_SLACK_BYTES) return undefined;
  return (
    `the main thread's V8 heap may grow to ${Math.round(heapSizeLimitBytes / 2 ** 20)} MiB, well past REVIEW_WORKER_MEMORY ` +
    `(${Math.round(config.REVIEW_WORKER_MEMORY / 2 ** 20)} MiB): start the worker with NODE_OPTIONS=--max-old-space-size=${recommended}`
  );
}
