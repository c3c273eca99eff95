// The same commands run inside the test process, so their code counts towards coverage.
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectReviewClient, type ReviewClient } from '../../src/client';
import { cliInProcess } from '../helpers/cli-in-process';
import { computeStats, percentile } from '../../src/cli/stats';
import { renderStatus } from '../../src/cli/render/status';
import { formatMs, progressBar } from '../../src/cli/render/format';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import type { ReviewStatus } from '../../workflows/types';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(180_000);

const GATED = join(__dirname, '..', 'fixtures', 'cli', 'gated.yaml');
const INVALID = join(__dirname, '..', 'fixtures', 'cli', 'invalid.yaml');

const cli = cliInProcess;

describe('review CLI in process', () => {
  const prefix = uniqueTaskQueue('cli-inproc');
  let client: ReviewClient;

  beforeAll(async () => {
    process.env.TEMPORAL_ADDRESS = devServerAddress();
    client = await connectReviewClient({ taskQueuePrefix: prefix });
  });
  afterAll(async () => {
    delete process.env.TEMPORAL_ADDRESS;
    await client.close();
  });

  test('offline commands', async () => {
    expect(await cli('validate', GATED)).toMatchObject({ code: 0 });
    const bad = await cli('validate', INVALID, '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).issues).toHaveLength(4);
    for (const format of ['ascii', 'mermaid', 'dot']) expect((await cli('graph', 'hotfix', '--format', format)).code).toBe(0);
    expect((await cli('graph', GATED, '--plain', '--json')).stdout).toContain('"format": "ascii"');
    expect((await cli('start', GATED, '--input', '{not json')).code).toBe(2);
    expect((await cli('start', GATED, '--input', '[1]')).code).toBe(2);
    expect((await cli('start', GATED, '--param', 'novalue')).code).toBe(2);
    expect((await cli('list', '--limit', '0')).code).toBe(2);
    expect((await cli('--version')).code).toBe(0);
  });

  test('online commands on a finished review', async () => {
    const connection = await NativeConnection.connect({ address: devServerAddress() });
    const id = `${prefix}-done`;
    try {
      await withReviewWorkers(connection, prefix, recordingActivities().activities, async () => {
        await client.startReview(GATED, {}, { id, tenant: 'inproc' });
        await waitFor(async () => ((await client.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 60_000);
        expect((await cli('reject', id, '--by', 'alice', '--comment', 'not yet')).code).toBe(0);
        await client.result(id);
      });
    } finally {
      await connection.close();
    }
    const status = await cli('status', id);
    expect(status.stdout).toMatch(/rejected/);
    expect((await cli('graph', id)).stdout).toContain('cli-gated');
    expect((await cli('status', id, '--watch', '--json')).code).toBe(1);
    expect((await cli('list', '--tenant', 'inproc')).code).toBe(0);
    expect((await cli('stats', '--tenant', 'inproc', '--json')).code).toBe(0);
    expect((await cli('schedule', 'list')).code).toBe(0);
    const missing = await cli('retry', 'no-such-review', '--verbose');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/\n\s+at /);
  });
});

describe('stats and rendering', () => {
  const step = (id: string, durationMs: number, attempts = 1) => ({ id, kind: 'task' as const, needs: [], priority: 'normal' as const, state: 'succeeded' as const, attempts, durationMs });
  const review = (steps: ReturnType<typeof step>[]): ReviewStatus => ({
    reviewId: 'r',
    pipeline: 'p',
    priority: 'normal',
    state: 'completed',
    progress: { done: steps.length, total: steps.length, percent: 100 },
    startedAt: '2024-01-01T00:00:00.000Z',
    endedAt: '2024-01-01T00:00:10.000Z',
    steps,
    decisions: [],
    transitions: [],
    continuedAsNew: 0,
  });

  test('percentiles, rates and per-step durations', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
    const byStatus = { pending: 0, running: 1, paused: 0, awaiting_approval: 0, completed: 3, failed: 1, cancelled: 0, rejected: 0 };
    const stats = computeStats(byStatus, [review([step('a', 100), step('b', 1000, 2)]), review([step('a', 300)])]);
    expect(stats).toMatchObject({ total: 5, successRate: 0.75, failureRate: 0.25, retryRate: 0.333, sampled: 2, reviewDurations: { p50Ms: 10_000 } });
    expect(stats.steps).toEqual([
      { pipeline: 'p', step: 'b', count: 1, p50Ms: 1000, p95Ms: 1000, maxMs: 1000 },
      { pipeline: 'p', step: 'a', count: 2, p50Ms: 100, p95Ms: 300, maxMs: 300 },
    ]);
    expect(computeStats({ ...byStatus, completed: 0, failed: 0 }, []).successRate).toBeNull();
  });

  test('status rendering', () => {
    expect(formatMs(450)).toBe('450ms');
    expect(formatMs(75_000)).toBe('1m15s');
    expect(progressBar(50, 10, false)).toBe('[#####-----]  50%');
    const text = renderStatus(review([step('a', 100), step('b', 2500, 3)]));
    expect(text).toMatch(/review r\s+completed/);
    expect(text).toMatch(/b\s+succeeded\s+neutral\s+3\s+\S*\s*2\.5s/);
  });
});
