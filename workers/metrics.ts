/** The project's own Prometheus metrics, emitted through the Temporal runtime's metric meter. */
import type { MetricMeter, MetricTags } from '@temporalio/common';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Bucket bounds (ms) of the project's histograms, in place of the runtime's default (50 ms to 10 s), which put every
 * gate wait and every step longer than 10 s in +Inf.
 */
export const HISTOGRAM_BUCKETS_MS: Record<string, number[]> = {
  review_gate_wait: [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY],
  review_step_duration: [50, 100, 250, 500, SECOND, 2.5 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR],
  review_step_schedule_to_start: [5, 10, 25, 50, 100, 250, 500, SECOND, 2.5 * SECOND, 5 * SECOND, 10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE],
};

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
