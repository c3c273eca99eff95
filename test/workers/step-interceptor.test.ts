// What the step interceptor tells the workflow and the metrics when an attempt fails: a retry only when one follows.
import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { StepInterceptor } from '../../workers/step-interceptor';
import type { StepMetrics } from '../../workers/metrics';

async function failedAttempt(attempt: number, maximumAttempts: number | undefined) {
  const retries: unknown[] = [];
  const signals: unknown[] = [];
  const metrics: StepMetrics = { scheduleToStart: () => undefined, stepFinished: () => undefined, retry: (tags) => void retries.push(tags) };
  const ctx = {
    info: {
      activityType: 'runStep',
      attempt,
      taskQueue: 'q',
      currentAttemptScheduledTimestampMs: Date.now(),
      workflowExecution: { workflowId: 'review-1', runId: 'run' },
      ...(maximumAttempts !== undefined ? { retryPolicy: { maximumAttempts } } : {}),
    },
    client: { workflow: { getHandle: () => ({ signal: async (_: unknown, payload: unknown) => void signals.push(payload) }) } },
  } as unknown as Context;
  const request = { review: { id: 'review-1', pipeline: 'p', priority: 'normal' }, stepId: 'tests', kind: 'step', uses: 'echo', with: {} };
  const input = { args: [request], headers: {} } as unknown as ActivityExecuteInput;
  await expect(new StepInterceptor(ctx, metrics).execute(input, async () => Promise.reject(new Error('exit 1')))).rejects.toThrow('exit 1');
  return { retries: retries.length, failedSignals: signals.filter((s) => (s as { event: string }).event === 'attempt_failed').length };
}

test('a failed attempt counts as a retry, and is reported as retrying, only when its policy allows another', async () => {
  expect(await failedAttempt(1, 2)).toEqual({ retries: 1, failedSignals: 1 });
  expect(await failedAttempt(2, 2)).toEqual({ retries: 0, failedSignals: 0 });
  expect(await failedAttempt(5, 0)).toEqual({ retries: 1, failedSignals: 1 }); // 0: unlimited
  expect(await failedAttempt(3, undefined)).toEqual({ retries: 1, failedSignals: 1 });
});
