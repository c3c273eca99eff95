import type { Command } from 'commander';
import type { ReviewClient } from '../../client/review-client';
import type { ReviewFilter } from '../../client/types';
import type { ReviewState, ReviewStatus } from '../../../workflows/types';
import { globalsOf, outputFor, withClient } from '../context';
import { positiveInt } from '../input';
import { formatMs, table } from '../render/format';
import { computeStats, REVIEW_STATES, type ReviewStats } from '../stats';

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
  const recent = (await client.list({ ...filter, limit: sample * 2 }))
    .filter((r) => r.execution !== 'RUNNING' && r.state !== undefined && SAMPLED_STATES.includes(r.state))
    .slice(0, sample);
  const statuses = await mapLimited(recent, 8, (r) => client.result(r.reviewId).catch((): ReviewStatus | undefined => undefined));
  return computeStats(byStatus, statuses.filter((s): s is ReviewStatus => s !== undefined));
}

const pct = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);

function renderStats(stats: ReviewStats): string {
  const counts = REVIEW_STATES.filter((s) => stats.byStatus[s] > 0).map((s) => `${s} ${stats.byStatus[s]}`);
  const lines = [
    `reviews: ${stats.total}${counts.length ? ` (${counts.join(', ')})` : ''}`,
    `success rate ${pct(stats.successRate)}  failure rate ${pct(stats.failureRate)}  step retry rate ${pct(stats.retryRate)}`,
  ];
  if (stats.reviewDurations) lines.push(`review duration p50 ${formatMs(stats.reviewDurations.p50Ms)}  p95 ${formatMs(stats.reviewDurations.p95Ms)}  (${stats.sampled} recent reviews)`);
  if (stats.steps.length > 0) {
    lines.push('', table(['PIPELINE', 'STEP', 'RUNS', 'P50', 'P95', 'MAX'], stats.steps.map((s) => [s.pipeline, s.step, String(s.count), formatMs(s.p50Ms), formatMs(s.p95Ms), formatMs(s.maxMs)])));
  }
  return lines.join('\n');
}

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('counts by state, success / failure / retry rates, and step durations (p50, p95) of recent reviews')
    .option('--pipeline <name>', 'only reviews of this pipeline')
    .option('--tenant <tenant>', 'only reviews of this tenant')
    .option('--sample <n>', 'how many recent finished reviews to read step durations from', positiveInt('--sample'), 50)
    .action(async (flags: { pipeline?: string; tenant?: string; sample: number }, command: Command) => {
      const globals = globalsOf(command);
      const filter: ReviewFilter = {
        ...(flags.pipeline !== undefined ? { pipeline: flags.pipeline } : {}),
        ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
      };
      const stats = await withClient(globals, (client) => gather(client, filter, flags.sample));
      outputFor(globals).result(stats, () => renderStats(stats));
    });
}
