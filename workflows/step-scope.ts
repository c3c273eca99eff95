/** The scope the review's steps run in, which the review cancels itself when an outcome is decided. */
import { CancellationScope } from '@temporalio/workflow';

/**
 * A cancellation scope whose `run` calls the function directly instead of through an async wrapper. The
 * scope has no timeout, the only thing the wrapper handles, and every promise a workflow creates costs a
 * captured stack trace in the SDK's sandbox, so starting a step should create as few as it can.
 */
export class StepScope extends CancellationScope {
  protected override runInContext<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** Runs `fn` now, in this scope: what it schedules is cancelled with the scope. */
  enter(fn: () => void): void {
    void this.run(fn as unknown as () => Promise<void>);
  }
}
