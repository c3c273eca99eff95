import type { Command } from 'commander';
import { checkName, deploymentReport, installationQueues, OperationsInputError, queueStats, type DeploymentReport, type QueueStats } from '../../client/operations';
import type { ReviewClient } from '../../client/review-client';
import type { ReviewFilter } from '../../client/types';
import type { ReviewState, ReviewStatus } from '../../../workflows/types';
import { globalsOf, outputFor, withClient } from '../context';
import { UsageError } from '../exit';
import { positiveInt } from '../input';
import { formatMs, table } from '../render/format';
import { activeQueues, computeStats, operationsTarget, REVIEW_STATES, versionAdvice, type OperationsTarget, type ReviewStats } from '../stats';

const SAMPLED_STATES: readonly ReviewState[] = ['completed', 'failed', 'rejected'];

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      results.push(await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

async function gather(client: ReviewClient, filter: ReviewFilter, sample: number): Promise<ReviewStats> {
  const counts = await Promise.all(REVIEW_STATES.map((status) => client.count({ ...filter, status })));
  const byStatus = Object.fromEntries(REVIEW_STATES.map((state, i) => [state, counts[i] ?? 0])) as Record<ReviewState, number>;
  // Closed reviews only: with thousands open at gates, the newest reviews are all open.
  const recent = (await client.list({ ...filter, open: false, limit: sample * 2 }))
    .filter((r) => r.execution !== 'RUNNING' && r.state !== undefined && SAMPLED_STATES.includes(r.state))
    .slice(0, sample);
  const statuses = await mapLimited(recent, 8, (r) => client.result(r.reviewId).catch((): ReviewStatus | undefined => undefined));
  return computeStats(byStatus, statuses.filter((s): s is ReviewStatus => s !== undefined));
}

/** `review stats --json`: the review statistics, then the queue wait and the open reviews per version. */
export interface StatsOutput extends ReviewStats {
  taskQueuePrefix: string;
  /** Every task queue of the installation, for workflow (review) and activity (step) tasks. */
  queues: QueueStats[] | null;
  deployment: DeploymentReport | null;
  /** Why the queues or the deployment could not be read (e.g. the caller may not describe task queues). */
  unavailable?: { queues?: string; deployment?: string };
}

const reason = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));

async function gatherOperations(client: ReviewClient, target: OperationsTarget): Promise<Pick<StatsOutput, 'queues' | 'deployment' | 'unavailable'>> {
  const [queues, deployment] = await Promise.allSettled([
    queueStats(client.temporal, installationQueues(target.taskQueuePrefix)),
    deploymentReport(client.temporal, target),
  ]);
  const unavailable: NonNullable<StatsOutput['unavailable']> = {};
  if (queues.status === 'rejected') unavailable.queues = reason(queues.reason);
  if (deployment.status === 'rejected') unavailable.deployment = reason(deployment.reason);
  return {
    queues: queues.status === 'fulfilled' ? queues.value : null,
    deployment: deployment.status === 'fulfilled' ? deployment.value : null,
    ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}),
  };
}

const rate = (n: number): string => (n === 0 ? '0' : n.toFixed(n < 10 ? 1 : 0));

function renderQueues(output: StatsOutput): string[] {
  if (output.queues === null) return ['', `queue wait: unavailable (${output.unavailable?.queues ?? 'unknown reason'})`];
  const { shown, idle } = activeQueues(output.taskQueuePrefix, output.queues);
  const rows = shown.map((q) => [
    q.taskQueue,
    q.type === 'workflow' ? 'reviews' : 'steps',
    String(q.pollers),
    String(q.backlog),
    q.backlog > 0 ? formatMs(q.backlogAgeMs) : '-',
    rate(q.addRate),
    rate(q.dispatchRate),
  ]);
  const lines = ['', 'queue wait (backlog: tasks no worker has taken yet; oldest: how long the first of them has waited)', table(['TASK QUEUE', 'TASKS', 'POLLERS', 'BACKLOG', 'OLDEST', 'ADDED/S', 'DISPATCHED/S'], rows)];
  if (idle.length > 0) lines.push(`no workers and nothing waiting on ${idle.join(', ')}`);
  return lines;
}

function renderDeployment(output: StatsOutput): string[] {
  const report = output.deployment;
  if (report === null) return ['', `open reviews per version: unavailable (${output.unavailable?.deployment ?? 'unknown reason'})`];
  const lines = ['', `open reviews per version of deployment ${report.deployment}`];
  if (!report.found) lines.push('no versions: workers run without REVIEW_BUILD_ID (or under another REVIEW_DEPLOYMENT_NAME; see --deployment)');
  const rows = report.versions.map((v) => [v.buildId, v.status, String(v.openReviews), versionAdvice(report, v)]);
  if (report.unversionedOpenReviews > 0 || !report.found) rows.push(['(unversioned)', '', String(report.unversionedOpenReviews), report.found ? 'reviews started before versioning: keep unversioned workers until these finish' : '']);
  if (rows.length > 0) lines.push(table(['BUILD ID', 'STATUS', 'OPEN', ''], rows));
  return lines;
}

const pct = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

function renderStats(stats: StatsOutput): string {
  const counts = REVIEW_STATES.filter((s) => stats.byStatus[s] > 0).map((s) => `${s} ${stats.byStatus[s]}`);
  const lines = [
    `reviews: ${stats.total}${counts.length ? ` (${counts.join(', ')})` : ''}`,
    `success rate ${pct(stats.successRate)}  failure rate ${pct(stats.failureRate)}  step retry rate ${pct(stats.retryRate)}`,
  ];
  if (stats.reviewDurations) lines.push(`review duration p50 ${formatMs(stats.reviewDurations.p50Ms)}  p95 ${formatMs(stats.reviewDurations.p95Ms)}  (${stats.sampled} recent reviews)`);
  if (stats.steps.length > 0) {
    lines.push('', table(['PIPELINE', 'STEP', 'RUNS', 'P50', 'P95', 'MAX'], stats.steps.map((s) => [s.pipeline, s.step, String(s.count), formatMs(s.p50Ms), formatMs(s.p95Ms), formatMs(s.maxMs)])));
  }
  lines.push(...renderQueues(stats), ...renderDeployment(stats));
  return lines.join('\n');
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description(
      'counts by state, success / failure / retry rates, step durations (p50, p95) of recent reviews; ' +
        'queue wait per task queue and open reviews per deployment version',
    )
    .option('--pipeline <name>', 'only reviews of this pipeline')
    .option('--tenant <tenant>', 'only reviews of this tenant')
    .option('--sample <n>', 'how many recent finished reviews to read step durations from', positiveInt('--sample'), 50)
    .option('--task-queue-prefix <prefix>', 'the workers\' REVIEW_TASK_QUEUE_PREFIX (default: $REVIEW_TASK_QUEUE_PREFIX, else review)')
    .option('--deployment <name>', 'the workers\' Worker Deployment (default: $REVIEW_DEPLOYMENT_NAME, else the task queue prefix)')
    .action(async (flags: { pipeline?: string; tenant?: string; sample: number; taskQueuePrefix?: string; deployment?: string }, command: Command) => {
      const globals = globalsOf(command);
      const filter: ReviewFilter = {
        ...(flags.pipeline !== undefined ? { pipeline: flags.pipeline } : {}),
        ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
      };
      const target = operationsTarget(flags);
      try {
        checkName('taskQueuePrefix', target.taskQueuePrefix);
        checkName('deployment', target.deployment);
      } catch (error) {
        if (!(error instanceof OperationsInputError)) throw error;
        const flag = error.field === 'taskQueuePrefix' ? '--task-queue-prefix (or REVIEW_TASK_QUEUE_PREFIX)' : '--deployment (or REVIEW_DEPLOYMENT_NAME)';
        throw new UsageError(`${flag}: ${error.message}`);
      }
      const stats = await withClient(globals, async (client): Promise<StatsOutput> => {
        const [reviews, operations] = await Promise.all([gather(client, filter, flags.sample), gatherOperations(client, target)]);
        return { ...reviews, taskQueuePrefix: target.taskQueuePrefix, ...operations };
      });
      outputFor(globals).result(stats, () => renderStats(stats));
    });
}
