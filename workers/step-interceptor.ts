/**
 * Activity interceptor around `runStep`: tells the workflow about attempts and retries as they happen,
 * stamps the attempt on the response, and records the step metrics.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { StepRequest, StepResponse } from '../activities/types';
import { stepProgressSignal } from '../workflows/messages';
import type { StepMetrics } from './metrics';

export class StepInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly metrics: StepMetrics,
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const request = input.args[0] as StepRequest | undefined;
    if (this.ctx.info.activityType !== 'runStep' || !request) return next(input);
    const { attempt, taskQueue, currentAttemptScheduledTimestampMs, workflowExecution } = this.ctx.info;
    const labels = { pipeline: request.review.pipeline, step: request.stepId, kind: request.kind, task_queue: taskQueue };
    this.metrics.scheduleToStart(Date.now() - currentAttemptScheduledTimestampMs, { task_queue: taskQueue, priority: request.review.priority });
    const notify = (event: 'attempt_started' | 'attempt_failed', error?: string) =>
      this.ctx.client.workflow
        .getHandle(workflowExecution?.workflowId ?? request.review.id)
        .signal(stepProgressSignal, { step: request.stepId, attempt, event, ...(error ? { error: error.slice(0, 4000) } : {}) })
        .catch(() => undefined);
    if (attempt > 1 && request.kind === 'step') await notify('attempt_started');
    const started = Date.now();
    try {
      const response = (await next(input)) as StepResponse;
      this.metrics.stepFinished(Date.now() - started, { ...labels, outcome: 'succeeded' });
      return { ...response, attempt };
    } catch (err) {
      const cancelled = err instanceof CancelledFailure;
      this.metrics.stepFinished(Date.now() - started, { ...labels, outcome: cancelled ? 'cancelled' : 'failed' });
      // The last attempt its retry policy allows is not retried, whatever the error says.
      const maxAttempts = this.ctx.info.retryPolicy?.maximumAttempts ?? 0;
      const lastAttempt = maxAttempts > 0 && attempt >= maxAttempts;
      const retryable = !cancelled && !lastAttempt && !(err instanceof ApplicationFailure && err.nonRetryable);
      if (retryable && request.kind === 'step') {
        this.metrics.retry({ pipeline: request.review.pipeline, step: request.stepId });
        await notify('attempt_failed', err instanceof Error ? err.message : String(err));
      }
      throw err;
    }
  }
}
