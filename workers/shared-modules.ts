/**
 * The workflow modules a worker evaluates once and shares among all its workflows (the bundler's
 * `preloadModules`). The SDK's reusable V8 context evaluates every other module of the bundle again for
 * each workflow it creates or replays into its cache: for a review, all of `workflows/` and the definition
 * code it uses. Sharing them took a five-step review's replay from 11.7 to 9.9 ms of CPU
 * (`test/bench/diamond-profile.ts replay`).
 *
 * Sharing is safe because these modules keep no review's state at module level: only constants, functions
 * and classes, caches keyed by a review's own objects (WeakMap), and pure memos. The SDK freezes the
 * exports of shared modules, so a module that tried to change one would fail loudly in every test.
 * `test/workflows/module-load.test.ts` holds every workflow module to this.
 */
export const SHARED_WORKFLOW_MODULES: string[] = [require.resolve('../workflows')];
