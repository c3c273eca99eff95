/** Compensation: the `undo` of every step that succeeded, newest first, in a scope no cancel can cut short. */
import { CancellationScope } from '@temporalio/workflow';
import type { ReviewRun } from './review-run';
import { callStep, errorMessage } from './step-runner';
import { clipText } from './outputs';

export async function runCompensation(run: ReviewRun): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    for (const id of [...run.undoOrder].reverse()) {
      const step = run.book.step(id);
      const status = run.book.status(id);
      if (!step?.undo || !status || status.undo || status.state !== 'succeeded') continue;
      try {
        await callStep(run, step, 'undo', step.undo, `${step.name ?? step.id} · undo ${step.undo.uses}`);
        run.book.patch(id, { undo: { state: 'succeeded', at: new Date().toISOString() } });
      } catch (err) {
        run.book.patch(id, { undo: { state: 'failed', error: clipText(errorMessage(err)), at: new Date().toISOString() } });
        run.notice(`undo of ${id} failed: ${errorMessage(err)}`);
      }
      run.changed();
      run.flush();
    }
  });
}
