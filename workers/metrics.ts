/** The project's own Prometheus metrics, emitted through the Temporal runtime's metric meter. */
import type { MetricMeter, MetricTags } from '@temporalio/common';

export interface StepMetrics {
  scheduleToStart(ms: number, tags: MetricTags): void;
  stepFinished(ms: number, tags: MetricTags): void;
  retry(tags: MetricTags): void;
}

export function createStepMetrics(meter: MetricMeter): StepMetrics {
  const scheduleToStart = meter.createHistogram('review_step_schedule_to_start', 'int', 'ms', 'Queue wait of a step attempt, per tier');
  const duration = meter.createHistogram('review_step_duration', 'int', 'ms', 'Duration of a step attempt');
  const retries = meter.createCounter('review_step_retries', '1', 'Step attempts that failed and will be retried');
  return {
    scheduleToStart: (ms, tags) => scheduleToStart.record(Math.max(0, Math.round(ms)), tags),
    stepFinished: (ms, tags) => duration.record(Math.max(0, Math.round(ms)), tags),
    retry: (tags) => retries.add(1, tags),
  };
}
