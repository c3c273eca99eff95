/** Cancellation scopes for the review's long-lived work, entered without an async wrapper. */
import { CancellationScope } from '@temporalio/workflow';

/**
 * A cancellation scope whose `run` calls the function directly instead of through an async wrapper. Such a
 * scope has no timeout, the only thing the wrapper handles, and every promise a workflow creates costs a
 * captured stack trace in the SDK's sandbox: the review enters scopes on its hot paths.
 */
export class DirectScope extends CancellationScope {
  protected override runInContext<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** Runs `fn` now, in this scope: what it schedules is cancelled with the scope. */
  enter(fn: () => void): void {
    void this.run(fn as unknown as () => Promise<void>);
  }
}
