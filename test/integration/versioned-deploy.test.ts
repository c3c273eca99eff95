/**
 * A versioned deploy on a dev server, with the production wiring (createReviewWorkers, connectReviewClient):
 * 50 reviews wait at a gate on version A; version B, whose workflow code cannot replay A's histories, is deployed
 * beside A and made current; new reviews run on B, A's reviews finish on A after approval without a single
 * workflow task failure, and A is retired (workers stopped, version deleted) once it has no open reviews.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import pino from 'pino';
import { connectReviewClient, type ReviewClient } from '../../src/client';
import { deploymentReport, DEPLOYMENT_VERSION_ATTRIBUTE, queueStats } from '../../src/client/operations';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers, type ReviewWorkers } from '../../workers/review-workers';
import { uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { cliInProcess } from '../helpers/cli-in-process';
import { devReviews } from '../helpers/dev-review';
import { startVersioningServer, type VersioningServer } from '../helpers/versioning-server';
import type { StatsOutput } from '../../src/cli/commands/stats';
import { waitFor } from '../helpers/wait';

jest.setTimeout(300_000);

const { EventType, VersioningBehavior, VersionDrainageStatus } = temporal.api.enums.v1;
const GATED = join(__dirname, '..', 'fixtures', 'cli', 'gated.yaml');
const CHANGED_WORKFLOWS = join(__dirname, '..', 'fixtures', 'versioned', 'changed-workflows.ts');
const OPEN_ON_A = 50;
const NEW_ON_B = 5;
const NONDETERMINISM = /nondetermin|TMPRL1100|DeterminismViolation/i;

interface Version {
  workers: ReviewWorkers;
  logs: Record<string, unknown>[];
  running: Promise<void>;
  workspaceRoot: string;
}

let server: VersioningServer;
let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;
let reviews: ReviewClient;
let changedBundle: WorkflowBundle;
const prefix = uniqueTaskQueue('deploy');
const deployment = `${prefix}-deployment`;
const namespace = 'default';
const versions = new Map<string, Version>();
/** What the SDK logs (at any level, before the runtime's level filter) while the test runs. */
const sdkLogs: string[] = [];

beforeAll(async () => {
  const logger = Runtime.instance().logger;
  const log = logger.log.bind(logger);
  jest.spyOn(logger, 'log').mockImplementation((level, message, meta) => {
    sdkLogs.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
    log(level, message, meta);
  });
  [server, changedBundle] = await Promise.all([
    startVersioningServer(),
    bundleWorkflowCode({ workflowsPath: CHANGED_WORKFLOWS, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } }),
  ]);
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace });
  workerConnection = await NativeConnection.connect({ address: server.address });
  reviews = await connectReviewClient({ address: server.address, namespace, taskQueuePrefix: prefix, directory: null, env: {} });
});

afterAll(async () => {
  for (const version of versions.values()) {
    version.workers.shutdown();
    await version.running.catch(() => undefined);
    rmSync(version.workspaceRoot, { recursive: true, force: true });
  }
  await reviews?.close();
  await workerConnection?.close();
  await connection?.close();
  await server?.stop();
  jest.restoreAllMocks();
});

/** Starts the production workers of one version (REVIEW_BUILD_ID set, this test's deployment name), or unversioned ones. */
async function deployVersion(buildId: string | undefined, bundle: { codePath: string } | WorkflowBundle): Promise<Version> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const workspaceRoot = mkdtempSync(join(tmpdir(), `review-deploy-${buildId ?? 'unversioned'}-`));
  const workers = await createReviewWorkers({
    connection: workerConnection,
    namespace,
    config: loadWorkerConfig(buildId === undefined ? { REVIEW_TASK_QUEUE_PREFIX: prefix } : { REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_DEPLOYMENT_NAME: deployment, REVIEW_BUILD_ID: buildId }),
    logger: pino({ level: 'info' }, sink),
    workflowBundle: bundle,
    executorCatalog: null,
    workspaceRoot,
  });
  const version: Version = { workers, logs, running: workers.run(), workspaceRoot };
  versions.set(buildId ?? 'unversioned', version);
  return version;
}

/** Makes the version current once the server has seen its workers poll the review queue. */
async function setCurrent(buildId: string): Promise<void> {
  await waitFor(
    async () => {
      await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName: deployment, buildId, identity: 'versioned-deploy test' });
      return true;
    },
    30_000,
    250,
  );
}

async function versioningInfo(reviewId: string): Promise<temporal.api.workflow.v1.IWorkflowExecutionVersioningInfo | null | undefined> {
  return (await client.workflow.getHandle(reviewId).describe()).raw.workflowExecutionInfo?.versioningInfo;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

async function startReviews(ids: readonly string[]): Promise<void> {
  await mapLimited(ids, 10, (id) => reviews.startReview(GATED, {}, { id }));
}

/** Waits until visibility shows every one of `ids` waiting at its gate. */
async function waitAtGate(ids: readonly string[]): Promise<void> {
  const list = ids.map((id) => `'${id}'`).join(', ');
  await waitFor(
    async () => ((await client.workflow.count(`WorkflowId IN (${list}) AND ReviewStatus = 'awaiting_approval'`)).count === ids.length ? true : undefined),
    120_000,
    500,
  );
}

/** The build ids of the workers that completed each workflow task of the review, and its failed workflow tasks. */
async function historyOf(reviewId: string): Promise<{ completedBy: Set<string>; failedTasks: number; history: temporal.api.history.v1.IHistory }> {
  const history = await client.workflow.getHandle(reviewId).fetchHistory();
  const completedBy = new Set<string>();
  let failedTasks = 0;
  for (const event of history.events ?? []) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) failedTasks += 1;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      completedBy.add(event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? '(unversioned)');
    }
  }
  return { completedBy, failedTasks, history };
}

describe('a versioned deploy', () => {
  it('keeps reviews pinned to the version that started them, runs new ones on the new version, and retires the old one once it has none open', async () => {
    const onA = Array.from({ length: OPEN_ON_A }, (_, i) => `${prefix}-a${i + 1}`);
    const onB = Array.from({ length: NEW_ON_B }, (_, i) => `${prefix}-b${i + 1}`);

    // Before versioning: a review started by unversioned workers waits at its gate; those workers then stop.
    const legacy = `${prefix}-unversioned`;
    const unversioned = await deployVersion(undefined, workflowBundle());
    await startReviews([legacy]);
    await waitAtGate([legacy]);
    expect(await deploymentReport(client, { deployment, taskQueuePrefix: prefix })).toEqual({ deployment, found: false, versions: [], unversionedOpenReviews: 1 });
    unversioned.workers.shutdown();
    await unversioned.running;

    // Version A: the project's workflows. Made current, it also takes the unversioned review's next task.
    await deployVersion('A', workflowBundle());
    await setCurrent('A');
    await reviews.approve(legacy, { step: 'approval', by: 'alice' });
    expect((await reviews.result(legacy)).state).toBe('completed');
    const legacyHistory = await historyOf(legacy);
    expect(legacyHistory.completedBy).toEqual(new Set(['(unversioned)', 'A']));
    expect(legacyHistory.failedTasks).toBe(0);
    await startReviews(onA);
    // One more review on A continues as new after its gate (a low history limit), once B is current.
    const continuing = await devReviews(client, prefix).start(
      {
        name: 'continues',
        steps: [
          { id: 'approval', gate: { approvers: ['alice'] } },
          ...Array.from({ length: 8 }, (_, i) => ({ id: `s${i + 1}`, uses: 'echo', needs: [i === 0 ? 'approval' : `s${i}`] })),
        ],
      },
      { options: { historyLimit: 40 } },
    );
    await waitAtGate([...onA, continuing.workflowId]);
    const firstRun = (await continuing.describe()).runId;
    const openAtGateOnA = OPEN_ON_A + 1;
    for (const id of onA.slice(0, 5)) {
      const info = await versioningInfo(id);
      expect(info?.behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
      expect(info?.deploymentVersion).toMatchObject({ deploymentName: deployment, buildId: 'A' });
    }
    let report = await deploymentReport(client, { deployment, taskQueuePrefix: prefix });
    expect(report).toMatchObject({ found: true, currentBuildId: 'A', unversionedOpenReviews: 0 });
    expect(report.versions).toEqual([expect.objectContaining({ buildId: 'A', status: 'current', openReviews: openAtGateOnA, retirable: false })]);

    // B's workflow code cannot replay what A wrote: only A's workers may carry A's reviews on.
    const written = await historyOf(onA[0] as string);
    await expect(Worker.runReplayHistory({ workflowBundle: changedBundle }, written.history, onA[0])).rejects.toThrow(NONDETERMINISM);

    // Version B beside A, made current.
    await deployVersion('B', changedBundle);
    await setCurrent('B');
    await startReviews(onB);
    await waitAtGate(onB);
    for (const id of onB) expect((await versioningInfo(id))?.deploymentVersion).toMatchObject({ deploymentName: deployment, buildId: 'B' });
    for (const id of onA.slice(0, 5)) expect((await versioningInfo(id))?.deploymentVersion).toMatchObject({ buildId: 'A' });
    report = await deploymentReport(client, { deployment, taskQueuePrefix: prefix });
    expect(report).toMatchObject({ currentBuildId: 'B', unversionedOpenReviews: 0 });
    expect(report.versions.map((v) => [v.buildId, v.status, v.openReviews, v.retirable])).toEqual([
      ['B', 'current', NEW_ON_B, false],
      ['A', 'draining', openAtGateOnA, false],
    ]);
    // What an operator sees: `review stats` lists both versions with their open reviews.
    const cli = await cliInProcess('--address', server.address, '--json', 'stats', '--task-queue-prefix', prefix, '--deployment', deployment, '--sample', '1');
    expect(cli.code).toBe(0);
    const stats = JSON.parse(cli.stdout) as StatsOutput;
    expect(stats.deployment?.versions.map((v) => [v.buildId, v.status, v.openReviews])).toEqual([
      ['B', 'current', NEW_ON_B],
      ['A', 'draining', openAtGateOnA],
    ]);
    const queues = await queueStats(client, [prefix]);
    expect(queues.map((q) => q.type).sort()).toEqual(['activity', 'workflow']);
    expect(queues.find((q) => q.type === 'workflow')?.addRate).toBeGreaterThan(0);

    // A review pinned to A that continues as new while B is current: its next run stays on A.
    await reviews.approve(continuing.workflowId, { by: 'alice' });
    expect((await reviews.result(continuing.workflowId)).state).toBe('completed');
    const lastRun = await continuing.describe();
    expect(lastRun.runId).not.toBe(firstRun);
    expect(lastRun.raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion).toMatchObject({ buildId: 'A' });
    expect((await historyOf(continuing.workflowId)).completedBy).toEqual(new Set(['A']));

    // A's reviews are approved and finish on A; B's on B.
    await mapLimited([...onA, ...onB], 10, (id) => reviews.approve(id, { step: 'approval', by: 'alice' }));
    const results = await mapLimited([...onA, ...onB], 10, (id) => reviews.result(id));
    expect(results.map((r) => r.state)).toEqual(Array(OPEN_ON_A + NEW_ON_B).fill('completed'));
    const histories = await mapLimited([...onA, ...onB], 10, historyOf);
    expect(histories.reduce((sum, h) => sum + h.failedTasks, 0)).toBe(0);
    expect(histories.slice(0, OPEN_ON_A).every((h) => h.completedBy.size === 1 && h.completedBy.has('A'))).toBe(true);
    expect(histories.slice(OPEN_ON_A).every((h) => h.completedBy.size === 1 && h.completedBy.has('B'))).toBe(true);
    const workerLogs = [...(versions.get('A')?.logs ?? []), ...(versions.get('B')?.logs ?? [])].map((l) => JSON.stringify(l));
    // (The replayer's own queue, fake_replay_queue-*, carried the deliberate failed replay above.)
    const workerSdkLogs = sdkLogs.filter((line) => !line.includes('fake_replay_queue'));
    expect([...workerLogs, ...workerSdkLogs].filter((line) => NONDETERMINISM.test(line))).toEqual([]);

    // Nothing open on A: visibility (what `review stats` counts) and then the server's drainage status agree.
    await waitFor(async () => {
      const r = await deploymentReport(client, { deployment, taskQueuePrefix: prefix });
      return r.versions.find((v) => v.buildId === 'A')?.openReviews === 0 ? true : undefined;
    }, 30_000, 500);
    const openOnA = await client.workflow.count(`${DEPLOYMENT_VERSION_ATTRIBUTE} = '${deployment}:A' AND ExecutionStatus = 'Running'`);
    expect(openOnA.count).toBe(0);
    await waitFor(async () => {
      const described = await client.workflowService.describeWorkerDeploymentVersion({ namespace, deploymentVersion: { deploymentName: deployment, buildId: 'A' } });
      return described.workerDeploymentVersionInfo?.drainageInfo?.status === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED ? true : undefined;
    }, 60_000, 500);
    // The deployment's summary of A (what `review stats` reads) follows the version's own status a moment later.
    report = await waitFor(async () => {
      const r = await deploymentReport(client, { deployment, taskQueuePrefix: prefix });
      return r.versions.find((v) => v.buildId === 'A')?.status === 'drained' ? r : undefined;
    }, 30_000, 500);
    expect(report.versions.map((v) => [v.buildId, v.status, v.openReviews, v.retirable])).toEqual([
      ['B', 'current', 0, false],
      ['A', 'drained', 0, true],
    ]);
    const human = await cliInProcess('--address', server.address, 'stats', '--task-queue-prefix', prefix, '--deployment', deployment, '--sample', '1');
    expect(human.stdout).toMatch(/^B\s+current\s+0\s+new reviews start here$/m);
    expect(human.stdout).toContain(`retire: stop its workers, then temporal worker deployment delete-version --deployment-name ${deployment} --build-id A`);

    // Retire A: stop its workers, then delete the version once the server has forgotten their polls.
    const a = versions.get('A') as Version;
    a.workers.shutdown();
    await a.running;
    versions.delete('A');
    rmSync(a.workspaceRoot, { recursive: true, force: true });
    await waitFor(async () => {
      await client.workflowService.deleteWorkerDeploymentVersion({ namespace, deploymentVersion: { deploymentName: deployment, buildId: 'A' }, identity: 'versioned-deploy test' });
      return true;
    }, 60_000, 1000);
    report = await deploymentReport(client, { deployment, taskQueuePrefix: prefix });
    expect(report.versions.map((v) => [v.buildId, v.status, v.openReviews])).toEqual([['B', 'current', 0]]);
  });
});
