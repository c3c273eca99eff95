// Frozen copy of the first workflow version; see review-v1.ts.
import { condition } from '@temporalio/workflow';

/** A time budget that only runs down while the review is not paused. */
export interface Budget {
  remainingMs: number;
}

/**
 * Waits until `done()` holds or the budget runs out, not counting time spent paused.
 * Returns 'done' or 'elapsed'.
 */
export async function pausableWait(budget: Budget, done: () => boolean, paused: () => boolean): Promise<'done' | 'elapsed'> {
  for (;;) {
    if (done()) return 'done';
    if (paused()) {
      await condition(() => !paused() || done());
      continue;
    }
    if (budget.remainingMs <= 0) return 'elapsed';
    const started = Date.now();
    const woke = Number.isFinite(budget.remainingMs)
      ? await condition(() => done() || paused(), budget.remainingMs)
      : (await condition(() => done() || paused()), true);
    if (Number.isFinite(budget.remainingMs)) budget.remainingMs = Math.max(0, budget.remainingMs - (Date.now() - started));
    if (!woke) return 'elapsed';
  }
}
