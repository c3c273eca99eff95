/**
 * The pipeline's `finally` actions: run in order once the review has closed (after any undo), whatever
 * its outcome, in a scope no cancel can cut short. A failing action is noted in the status; it never
 * changes how the review ended. Reports that must always reach people (a final check run, a
 * notification) belong here: they survive worker restarts because they are part of the review.
 */
import { CancellationScope } from '@temporalio/workflow';
import { evaluateCondition } from '../src/definition/expressions';
import type { FinalAction, Step } from '../src/definition/schema';
import { clipText } from './outputs';
import type { ReviewRun } from './review-run';
import { callStep, errorMessage } from './step-runner';
import type { FinalActionStatus } from './types';

function asStep(action: FinalAction, index: number): Step {
  return { id: `finally-${index + 1}`, name: action.name, uses: action.uses, with: action.with, retry: action.retry, timeout: action.timeout };
}

function holds(run: ReviewRun, action: FinalAction): { run: boolean; error?: string } {
  if (!action.if) return { run: true };
  try {
    return { run: evaluateCondition(action.if, run.expressionContext(), run.finalStatusValues()) };
  } catch (err) {
    return { run: false, error: `condition ${JSON.stringify(action.if)} could not be evaluated: ${errorMessage(err)}` };
  }
}

export async function runFinally(run: ReviewRun): Promise<void> {
  const actions = run.pipeline.finally ?? [];
  if (actions.length === 0) return;
  await CancellationScope.nonCancellable(async () => {
    for (const [index, action] of actions.entries()) {
      const step = asStep(action, index);
      const name = action.name ?? `${step.id} · ${action.uses}`;
      const status: FinalActionStatus = { name, uses: action.uses, state: 'running' };
      run.finalActions.push(status);
      const condition = holds(run, action);
      if (!condition.run) {
        status.state = condition.error ? 'failed' : 'skipped';
        if (condition.error) {
          status.error = clipText(condition.error);
          run.notice(`finally ${name}: ${condition.error}`);
        }
        run.changed();
        continue;
      }
      run.changed();
      run.flush();
      try {
        const response = await callStep(run, step, 'finally', action, `finally · ${name}`);
        status.state = 'succeeded';
        if (typeof response.summary === 'string') status.summary = clipText(response.summary, 500);
      } catch (err) {
        status.state = 'failed';
        status.error = clipText(errorMessage(err));
        run.notice(`finally ${name} failed: ${errorMessage(err)}`);
      }
      run.changed();
    }
  });
}
