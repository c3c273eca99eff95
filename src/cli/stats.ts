/**
 * Review statistics: counts by state, success/failure/retry rates, and step durations from recent reviews; and for
 * operators, the queue wait per task queue and the open reviews per deployment version.
 */
import type { ReviewState, ReviewStatus } from '../../workflows/types';
import type { DeploymentReport, QueueStats } from '../client/operations';

export const REVIEW_STATES: readonly ReviewState[] = ['pending', 'running', 'paused', 'awaiting_approval', 'completed', 'failed', 'cancelled', 'rejected'];

export interface StepDurationStats {
  pipeline: string;
  step: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface ReviewStats {
  total: number;
  byStatus: Record<ReviewState, number>;
  /** Of the finished reviews (completed, failed, rejected, cancelled). */
  successRate: number | null;
  failureRate: number | null;
  /** Of the step runs in the sampled reviews: how many needed more than one attempt. */
  retryRate: number | null;
  sampled: number;
  reviewDurations: { p50Ms: number; p95Ms: number } | null;
  steps: StepDurationStats[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

export function computeStats(byStatus: Record<ReviewState, number>, recent: readonly ReviewStatus[]): ReviewStats {
  const finished = byStatus.completed + byStatus.failed + byStatus.rejected + byStatus.cancelled;
  const durations = new Map<string, { pipeline: string; step: string; values: number[] }>();
  let stepRuns = 0;
  let retried = 0;
  const reviewDurations: number[] = [];
  for (const review of recent) {
    if (review.endedAt) reviewDurations.push(Date.parse(review.endedAt) - Date.parse(review.startedAt));
    for (const step of review.steps) {
      if (step.kind !== 'task' || step.attempts === 0) continue;
      stepRuns += 1;
      if (step.attempts > 1) retried += 1;
      const ms = step.durationMs ?? (step.startedAt && step.endedAt ? Date.parse(step.endedAt) - Date.parse(step.startedAt) : undefined);
      if (ms === undefined || !Number.isFinite(ms)) continue;
      const key = `${review.pipeline}\u0000${step.id}`;
      const entry = durations.get(key) ?? { pipeline: review.pipeline, step: step.id, values: [] };
      entry.values.push(ms);
      durations.set(key, entry);
    }
  }
  const steps = [...durations.values()]
    .map(({ pipeline, step, values }) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { pipeline, step, count: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted[sorted.length - 1] as number };
    })
    .sort((a, b) => b.p95Ms - a.p95Ms || a.pipeline.localeCompare(b.pipeline) || a.step.localeCompare(b.step));
  const sortedReviews = reviewDurations.sort((a, b) => a - b);
  return {
    total: REVIEW_STATES.reduce((sum, state) => sum + byStatus[state], 0),
    byStatus,
    successRate: ratio(byStatus.completed, finished),
    failureRate: ratio(byStatus.failed, finished),
    retryRate: ratio(retried, stepRuns),
    sampled: recent.length,
    reviewDurations: sortedReviews.length > 0 ? { p50Ms: percentile(sortedReviews, 50), p95Ms: percentile(sortedReviews, 95) } : null,
    steps,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Operations: queue wait per task queue, open reviews per deployment version

/** Where an installation's task queues and Worker Deployment are, from flags, then the workers' variables. */
export interface OperationsTarget {
  taskQueuePrefix: string;
  deployment: string;
}

export function operationsTarget(flags: { taskQueuePrefix?: string; deployment?: string }, env: Record<string, string | undefined> = process.env): OperationsTarget {
  const taskQueuePrefix = flags.taskQueuePrefix ?? (env.REVIEW_TASK_QUEUE_PREFIX?.trim() || 'review');
  return { taskQueuePrefix, deployment: flags.deployment ?? (env.REVIEW_DEPLOYMENT_NAME?.trim() || taskQueuePrefix) };
}

/** Queues worth a line: the review queue always, a tier queue only when a worker polls it or something waits on it. */
export function activeQueues(prefix: string, queues: readonly QueueStats[]): { shown: QueueStats[]; idle: string[] } {
  const used = new Set(queues.filter((q) => q.taskQueue === prefix || q.pollers > 0 || q.backlog > 0 || q.addRate > 0).map((q) => q.taskQueue));
  return {
    shown: queues.filter((q) => used.has(q.taskQueue)),
    idle: [...new Set(queues.map((q) => q.taskQueue))].filter((name) => !used.has(name)),
  };
}

/** What an operator may do next with a version, in words. */
export function versionAdvice(report: DeploymentReport, version: DeploymentReport['versions'][number]): string {
  if (version.status === 'current') {
    const ramp = report.versions.find((v) => v.status === 'ramping')?.rampPercentage;
    return ramp ? `${100 - ramp}% of new reviews start here` : 'new reviews start here';
  }
  if (version.status === 'ramping') return `${version.rampPercentage ?? 0}% of new reviews start here`;
  if (version.openReviews > 0) return 'keep its workers running until these finish';
  if (version.retirable) {
    return `retire: stop its workers, then temporal worker deployment delete-version --deployment-name ${report.deployment} --build-id ${version.buildId}`;
  }
  if (version.status === 'draining') return 'nothing open: Temporal marks it drained at its next check, then it can be retired';
  if (version.status === 'inactive') {
    return `never current: to start new reviews here, temporal worker deployment set-current-version --deployment-name ${report.deployment} --build-id ${version.buildId} --yes (or set-ramping-version); if it is not wanted, stop its workers and delete it`;
  }
  return '';
}
