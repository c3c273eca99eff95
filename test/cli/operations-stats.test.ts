/**
 * `review stats` for operators on the dev server: the queue wait of each task queue of an installation (backlog,
 * its age, rates, pollers) and the open reviews per deployment version (here: none versioned). Versions with open
 * reviews are covered by test/integration/versioned-deploy.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { connectReviewClient, type ReviewClient } from '../../src/client';
import { openReviewsQuery, type QueueStats } from '../../src/client/operations';
import { activeQueues, operationsTarget, versionAdvice } from '../../src/cli/stats';
import type { StatsOutput } from '../../src/cli/commands/stats';
import { cliInProcess } from '../helpers/cli-in-process';
import { devServerAddress, uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { waitFor } from '../helpers/wait';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers } from '../../workers/review-workers';

jest.setTimeout(120_000);

const GATED = join(__dirname, '..', 'fixtures', 'cli', 'gated.yaml');

const queue = (over: Partial<QueueStats>): QueueStats => ({ taskQueue: 'review', type: 'workflow', pollers: 0, backlog: 0, backlogAgeMs: 0, addRate: 0, dispatchRate: 0, ...over });

describe('review stats: what operators read', () => {
  test('the target comes from the flags, then the workers\' variables', () => {
    expect(operationsTarget({}, {})).toEqual({ taskQueuePrefix: 'review', deployment: 'review' });
    expect(operationsTarget({}, { REVIEW_TASK_QUEUE_PREFIX: 'acme' })).toEqual({ taskQueuePrefix: 'acme', deployment: 'acme' });
    expect(operationsTarget({ deployment: 'd' }, { REVIEW_TASK_QUEUE_PREFIX: 'acme', REVIEW_DEPLOYMENT_NAME: 'x' })).toEqual({ taskQueuePrefix: 'acme', deployment: 'd' });
    expect(operationsTarget({ taskQueuePrefix: 'p' }, { REVIEW_DEPLOYMENT_NAME: 'x' })).toEqual({ taskQueuePrefix: 'p', deployment: 'x' });
  });

  test('tier queues nobody uses are summed up in one line; the review queue always shows', () => {
    const { shown, idle } = activeQueues('r', [
      queue({ taskQueue: 'r' }),
      queue({ taskQueue: 'r', type: 'activity' }),
      queue({ taskQueue: 'r-critical', pollers: 1 }),
      queue({ taskQueue: 'r-critical', type: 'activity', pollers: 1 }),
      queue({ taskQueue: 'r-low', type: 'activity', backlog: 3 }),
      queue({ taskQueue: 'r-high' }),
    ]);
    expect(shown.map((q) => `${q.taskQueue}/${q.type}`)).toEqual(['r/workflow', 'r/activity', 'r-critical/workflow', 'r-critical/activity', 'r-low/activity']);
    expect(idle).toEqual(['r-high']);
  });

  test('advice per version: where new reviews go, what to keep, what to retire and how', () => {
    const report = { deployment: 'review', found: true, versions: [], unversionedOpenReviews: 0 };
    const v = (status: 'current' | 'ramping' | 'draining' | 'drained' | 'inactive', openReviews: number) => ({
      buildId: 'b1', version: 'review:b1', status, openReviews, retirable: openReviews === 0 && status === 'drained', rampPercentage: 10,
    });
    expect(versionAdvice(report, v('current', 3))).toBe('new reviews start here');
    expect(versionAdvice(report, v('ramping', 0))).toBe('10% of new reviews start here');
    expect(versionAdvice(report, v('draining', 2))).toBe('keep its workers running until these finish');
    expect(versionAdvice(report, v('draining', 0))).toBe('nothing open: Temporal marks it drained at its next check, then it can be retired');
    expect(versionAdvice(report, v('drained', 0))).toBe('retire: stop its workers, then temporal worker deployment delete-version --deployment-name review --build-id b1');
    // a deploy not yet current is never told to retire; while another ramps, the current version takes the rest
    expect(versionAdvice(report, v('inactive', 0))).toMatch(/^never current: to start new reviews here, temporal worker deployment set-current-version --deployment-name review --build-id b1 --yes/);
    expect(versionAdvice({ ...report, versions: [v('ramping', 0)] }, v('current', 3))).toBe('90% of new reviews start here');
  });

  test('open-review queries name the installation\'s queues and the version, quoted', () => {
    expect(openReviewsQuery(['r', 'r-low'], "dep:it's")).toBe(
      "WorkflowType = 'reviewWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue IN ('r', 'r-low') AND TemporalWorkerDeploymentVersion = 'dep:it\\'s'",
    );
    expect(openReviewsQuery(['r'], null)).toMatch(/TemporalWorkerDeploymentVersion IS NULL$/);
  });

  test('a bad prefix or deployment name is refused before connecting, naming the flag and the rule', async () => {
    const prefix = await cliInProcess('--address', '127.0.0.1:1', 'stats', '--task-queue-prefix', 'my queue');
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('--task-queue-prefix (or REVIEW_TASK_QUEUE_PREFIX): the task queue prefix "my queue" is not valid: it may hold letters, digits, . _ and -');
    const deployment = await cliInProcess('--address', '127.0.0.1:1', 'stats', '--deployment', '-x');
    expect(deployment.code).toBe(2);
    expect(deployment.stderr).toContain('--deployment (or REVIEW_DEPLOYMENT_NAME): the deployment name "-x" is not valid');
  });
});

describe('review stats on the dev server', () => {
  let client: ReviewClient;
  const prefix = uniqueTaskQueue('opstats');

  beforeAll(async () => {
    client = await connectReviewClient({ address: devServerAddress(), taskQueuePrefix: prefix, directory: null, env: {} });
  });
  afterAll(async () => {
    await client?.close();
  });

  const stats = async (): Promise<StatsOutput> => {
    const run = await cliInProcess('--address', devServerAddress(), '--json', 'stats', '--task-queue-prefix', prefix, '--sample', '5');
    if (run.code !== 0) throw new Error(`review stats exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as StatsOutput;
  };
  const row = (output: StatsOutput, taskQueue: string, type: QueueStats['type']) => output.queues?.find((q) => q.taskQueue === taskQueue && q.type === type);

  test('shows reviews waiting for a worker as backlog, then the workers that took them, and the open reviews on no version', async () => {
    const ids = [`${prefix}-1`, `${prefix}-2`, `${prefix}-3`];
    for (const id of ids) await client.startReview(GATED, {}, { id, priority: id.endsWith('1') ? 'critical' : 'normal' });

    // No worker yet: three review tasks wait on <prefix>.
    const waiting = await waitFor(async () => {
      const output = await stats();
      return (row(output, prefix, 'workflow')?.backlog ?? 0) >= ids.length && output.deployment?.unversionedOpenReviews === ids.length ? output : undefined;
    }, 30_000, 500);
    expect(waiting.taskQueuePrefix).toBe(prefix);
    expect(waiting.queues?.map((q) => `${q.taskQueue}/${q.type}`).sort()).toEqual(
      [prefix, `${prefix}-critical`, `${prefix}-high`, `${prefix}-low`, `${prefix}-normal`].flatMap((q) => [`${q}/activity`, `${q}/workflow`]).sort(),
    );
    const reviewQueue = row(waiting, prefix, 'workflow');
    expect(reviewQueue).toMatchObject({ pollers: 0, backlog: ids.length });
    expect(reviewQueue?.backlogAgeMs).toBeGreaterThan(0);
    expect(reviewQueue?.backlogByPriority).toEqual({ '1': 1, '3': 2 });
    expect(waiting.deployment).toEqual({ deployment: prefix, found: false, versions: [], unversionedOpenReviews: ids.length });
    expect(waiting.unavailable).toBeUndefined();

    // Unversioned production workers for the review queue and the critical tier take them.
    const connection = await NativeConnection.connect({ address: devServerAddress() });
    const workspaceRoot = mkdtempSync(join(tmpdir(), 'review-opstats-'));
    const workers = await createReviewWorkers({
      connection,
      config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_TIERS: 'critical' }),
      logger: pino({ level: 'silent' }),
      workflowBundle: workflowBundle(),
      executorCatalog: null,
      workspaceRoot,
    });
    const running = workers.run();
    try {
      const served = await waitFor(async () => {
        const output = await stats();
        const q = row(output, prefix, 'workflow');
        return q && q.backlog === 0 && q.pollers > 0 && (row(output, `${prefix}-critical`, 'activity')?.pollers ?? 0) > 0 ? output : undefined;
      }, 60_000, 500);
      expect(row(served, prefix, 'workflow')?.dispatchRate).toBeGreaterThan(0);

      const human = await cliInProcess('--address', devServerAddress(), 'stats', '--task-queue-prefix', prefix);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`^${prefix}\\s+reviews\\s+\\d+\\s+0\\s+-`, 'm'));
      expect(human.stdout).toMatch(new RegExp(`^${prefix}-critical\\s+steps\\s+[1-9]`, 'm'));
      expect(human.stdout).toContain(`no workers and nothing waiting on ${prefix}-high, ${prefix}-normal, ${prefix}-low`);
      expect(human.stdout).toContain(`open reviews per version of deployment ${prefix}`);
      expect(human.stdout).toContain('no versions: workers run without REVIEW_BUILD_ID');
      expect(human.stdout).toMatch(/^\(unversioned\)\s+3$/m);
    } finally {
      workers.shutdown();
      await running;
      await connection.close();
      rmSync(workspaceRoot, { recursive: true, force: true });
    }
    for (const id of ids) await client.cancel(id);
  });
});
