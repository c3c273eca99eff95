/**
 * Pull-request reviews end to end on the dev server, on the real path: a git repository with the sample
 * change on a feature branch served by `git http-backend` on loopback (token required), the webhook fed
 * GitHub's own sample deliveries (../shared/conformance/github-webhooks) rewritten to point at it and
 * signed, the stand-in of GitHub's REST API, and real review workers holding the credentials as secrets.
 * The review checks out the head commit, runs the checks in that checkout, tells GitHub through check
 * runs (App credentials) or commit statuses, waits for a maintainer's approval on GitHub, and merges at
 * the reviewed commit. The last test SIGKILLs the worker process while the tests run and starts another:
 * the review checks out again there and GitHub hears of the outcome exactly once.
 * Skipped, with a message, where ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import type { SecretResolver } from '../../activities/secrets';
import { connectReviewClient } from '../../src/client/connect';
import type { ReviewClient } from '../../src/client/review-client';
import type { PipelineSource } from '../../src/client/types';
import type { PipelineInput } from '../../src/definition/schema';
import { deliver, pointAt, reviewedBy } from '../../src/demo/github-deliveries';
import { startPullRequestScene, type PullRequestScene } from '../../src/demo/pr-scene';
import { fileDirectory } from '../../src/directory/directory';
import { builtinPipelinePath } from '../../src/pipelines';
import { createWebhookServer, type WebhookServer } from '../../src/webhook/server';
import type { ReviewStatus } from '../../workflows/types';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers, type ReviewWorkers } from '../../workers/review-workers';
import { devServerAddress, uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { waitFor } from '../helpers/wait';
import { NativeConnection } from '@temporalio/worker';

jest.setTimeout(240_000);

const SAMPLES = resolve(__dirname, '../../../shared/conformance/github-webhooks');
const present = existsSync(join(SAMPLES, 'pull_request', 'opened.payload.json')) && existsSync(join(SAMPLES, 'pull_request_review', 'submitted.payload.json'));
if (!present) console.log(`Pull-request end-to-end tests skipped: GitHub's sample deliveries are absent from ${SAMPLES} (CI provides them).`);
const maybe = present ? describe : describe.skip;

type Doc = Record<string, unknown>;
const SECRET = 'e2e-webhook-secret-0123456789abcdef';
const sample = (path: string): Doc => JSON.parse(readFileSync(join(SAMPLES, path), 'utf8')) as Doc;

/** A change the sample project's linter objects to: no 'use strict', a var, trailing whitespace. */
const UNTIDY = { 'src/widget-size.js': 'var WIDTH = 3; \nmodule.exports = { WIDTH };\n' };

interface Harness {
  scene: PullRequestScene;
  client: ReviewClient;
  webhook: WebhookServer;
  url: string;
  close(): Promise<void>;
}

async function harness(scene: PullRequestScene, prefix: string, pipeline: PipelineSource, params: Record<string, unknown>): Promise<Harness> {
  const client = await connectReviewClient({ address: devServerAddress(), taskQueuePrefix: prefix, directory: null });
  const webhook = createWebhookServer({
    secret: SECRET,
    client,
    pipeline,
    apiUrl: scene.github.apiUrl,
    directory: fileDirectory(scene.directoryFile),
    reviewOptions: { params },
    logger: pino({ level: 'silent' }),
  });
  const url = await webhook.listen();
  return {
    scene,
    client,
    webhook,
    url,
    async close() {
      await webhook.close();
      await client.close();
    },
  };
}

/** Delivers GitHub's sample `pull_request` `opened`, pointed at the scene's pull request; returns the review id. */
async function open(h: Harness): Promise<string> {
  const delivered = await deliver(h.url, SECRET, 'pull_request', pointAt(sample('pull_request/opened.payload.json'), h.scene.target));
  expect(delivered.status).toBe(202);
  expect(delivered.json).toMatchObject({ action: 'review', existing: false });
  const reviewId = delivered.json.reviewId as string;
  expect(reviewId).toBe(`pr:${h.scene.target.repo}#${h.scene.target.number}@${h.scene.repository.head}`);
  return reviewId;
}

const stepOf = (status: ReviewStatus, id: string) => status.steps.find((s) => s.id === id);

/** Waits for the maintainer gate, then bob approves on GitHub (GitHub's sample `pull_request_review`, submitted). */
async function approveOnGitHub(h: Harness, reviewId: string): Promise<void> {
  await waitFor(async () => (stepOf(await h.client.getStatus(reviewId), 'maintainer-approval')?.state === 'awaiting_approval' ? true : undefined), 180_000, 300);
  const review = reviewedBy(pointAt(sample('pull_request_review/submitted.payload.json'), h.scene.target), 'bob', 'approved', 'Looks good');
  const answer = await deliver(h.url, SECRET, 'pull_request_review', review);
  expect(answer).toMatchObject({ status: 200, json: { action: 'approve', reviewId, by: 'bob', roles: ['maintainer'], outcome: 'approved' } });
}

const sceneResolver = (scene: PullRequestScene): SecretResolver => ({
  resolve: (name) => scene.secrets[name.toUpperCase()],
  describe: () => 'the test scene',
});

async function inProcessWorkers(prefix: string, scene: PullRequestScene, root: string): Promise<{ workers: ReviewWorkers; stop(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: devServerAddress() });
  const workers = await createReviewWorkers({
    connection,
    config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_SHUTDOWN_GRACE: '1s' }),
    logger: pino({ level: 'silent' }),
    workflowBundle: workflowBundle(),
    workspaceRoot: root,
    secrets: sceneResolver(scene),
  });
  const running = workers.run();
  return {
    workers,
    async stop() {
      workers.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The git server saw every request with the token, and served at least one fetch. */
function expectAuthenticatedFetches(scene: PullRequestScene, atLeast = 1): void {
  expect(scene.git.requests.filter((r) => r.path.endsWith('/git-upload-pack') && r.status === 200).length).toBeGreaterThanOrEqual(atLeast);
  expect(scene.git.requests.filter((r) => r.status === 401)).toEqual([]);
}

maybe('pull-request reviews end to end (git on loopback, webhook, GitHub API stand-in, dev server)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pr-e2e-workspaces-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('report: checks — an in-progress check run, then the final one with the findings as annotations, and the merge at the head SHA', async () => {
    const started = Date.now();
    const prefix = uniqueTaskQueue('pr-e2e-checks');
    const scene = await startPullRequestScene({ repo: 'acme/widgets-checks', number: 7, change: UNTIDY });
    const workers = await inProcessWorkers(prefix, scene, join(root, 'checks'));
    const h = await harness(scene, prefix, 'pr-review', { report: 'checks', language: 'javascript', strict: false, context: 'review' });
    try {
      const reviewId = await open(h);
      await approveOnGitHub(h, reviewId);
      const result = await h.client.result(reviewId);
      expect(result.state).toBe('completed');
      expect(stepOf(result, 'checkout')?.output).toMatchObject({ sha: scene.repository.head });
      expect(stepOf(result, 'lint')?.output).toMatchObject({ exitCode: 1, passed: false });
      expect(stepOf(result, 'report')?.output).toMatchObject({ passed: false });

      const { github } = scene;
      const runs = github.checkRuns();
      // One check run, created in progress and completed by the finally action.
      expect(runs).toHaveLength(1);
      const run = runs[0]!;
      expect(run).toMatchObject({ repository: 'acme/widgets-checks', name: 'review', head_sha: scene.repository.head, status: 'completed', conclusion: 'failure' });
      // The report found problems: the check run is red, though the review completed (strict: false) and merged.
      expect(run.output.title).toBe('Review completed');
      expect(run.output.summary).toContain('Review of acme/widgets-checks#7');
      expect(run.annotations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'src/widget-size.js', start_line: 1, end_line: 1, annotation_level: 'failure', message: "missing 'use strict'", title: 'lint' }),
          expect.objectContaining({ path: 'src/widget-size.js', start_line: 1, annotation_level: 'failure', message: 'trailing whitespace' }),
          expect.objectContaining({ path: 'src/widget-size.js', start_line: 1, annotation_level: 'failure', message: 'use const or let instead of var' }),
        ]),
      );
      // Only the change's file was annotated: the rest of the project is tidy.
      expect(new Set(run.annotations.map((a) => a.path))).toEqual(new Set(['src/widget-size.js']));
      const checkRequests = github.requests.filter((r) => r.path.includes('/check-runs'));
      expect(checkRequests.map((r) => `${r.method} ${r.auth}`)).toEqual(expect.arrayContaining(['POST app', 'PATCH app']));
      expect(checkRequests.every((r) => r.auth === 'app')).toBe(true);
      expect(checkRequests.find((r) => r.method === 'POST')?.body).toMatchObject({ status: 'in_progress', head_sha: scene.repository.head });
      expect(github.statuses()).toEqual([]);
      expect(github.merges()).toEqual([expect.objectContaining({ repository: 'acme/widgets-checks', number: 7, sha: scene.repository.head, mergeMethod: 'squash' })]);
      expect(github.pullRequest('acme/widgets-checks', 7)).toMatchObject({ merged: true });
      expectAuthenticatedFetches(scene);
      console.log(`pr-review e2e (checks): ${Date.now() - started} ms`);
    } finally {
      await h.close();
      await workers.stop();
      await scene.close();
    }
  });

  test('report: status — pending, then success with the report, and the merge at the head SHA', async () => {
    const started = Date.now();
    const prefix = uniqueTaskQueue('pr-e2e-status');
    const scene = await startPullRequestScene({ repo: 'acme/widgets-status', number: 8 });
    const workers = await inProcessWorkers(prefix, scene, join(root, 'status'));
    const h = await harness(scene, prefix, 'pr-review', { report: 'status', language: 'javascript', strict: false, context: 'review/e2e' });
    try {
      const reviewId = await open(h);
      await approveOnGitHub(h, reviewId);
      const result = await h.client.result(reviewId);
      expect(result.state).toBe('completed');
      expect(stepOf(result, 'lint')?.output).toMatchObject({ exitCode: 0, passed: true, findings: [] });
      expect(stepOf(result, 'tests')?.output).toMatchObject({ exitCode: 0, passed: true });
      const { github } = scene;
      // Green only when the checks passed: a review that completed with problems found (strict: false) is red.
      const passed = (stepOf(result, 'report')?.output as { passed?: boolean } | undefined)?.passed === true;
      const state = passed ? 'success' : 'failure';
      const checks = passed ? 'passed' : 'found problems';
      expect(github.statuses().map((s) => ({ state: s.state, context: s.context, sha: s.sha }))).toEqual([
        { state: 'pending', context: 'review/e2e', sha: scene.repository.head },
        { state, context: 'review/e2e', sha: scene.repository.head },
        { state, context: 'review/e2e', sha: scene.repository.head },
      ]);
      expect(github.statuses().map((s) => s.description)).toEqual(['Review running', `Approved; checks ${checks}; merging`, `Review completed; checks ${checks}`]);
      expect(github.checkRuns()).toEqual([]);
      expect(github.requests.filter((r) => r.path.includes('/statuses/')).every((r) => r.auth === 'token')).toBe(true);
      expect(github.merges()).toEqual([expect.objectContaining({ repository: 'acme/widgets-status', number: 8, sha: scene.repository.head })]);
      expectAuthenticatedFetches(scene);
      console.log(`pr-review e2e (status): ${Date.now() - started} ms`);
    } finally {
      await h.close();
      await workers.stop();
      await scene.close();
    }
  });

  test("branch protection that requires the review's status: the status posted before the merge decides it", async () => {
    const prefix = uniqueTaskQueue('pr-e2e-protected');
    const scene = await startPullRequestScene({ repo: 'acme/widgets-protected', number: 10, requiredChecks: ['review'] });
    const workers = await inProcessWorkers(prefix, scene, join(root, 'protected'));
    const h = await harness(scene, prefix, 'pr-review', { report: 'status', language: 'javascript', strict: false, context: 'review' });
    try {
      const reviewId = await open(h);
      await approveOnGitHub(h, reviewId);
      const result = await h.client.result(reviewId);
      const { github } = scene;
      // Whether the checks passed depends on the machine (npm audit needs the registry): either way the merge
      // met the status the review posted before it, never a pending one.
      if ((stepOf(result, 'report')?.output as { passed?: boolean } | undefined)?.passed === true) {
        expect(result.state).toBe('completed');
        expect(github.merges()).toEqual([expect.objectContaining({ sha: scene.repository.head })]);
      } else {
        expect(result.state).toBe('failed');
        expect(stepOf(result, 'merge')?.error).toContain('(405: Required status check "review" is failure.)');
        expect(github.merges()).toEqual([]);
        expect(github.statuses().at(-1)).toMatchObject({ state: 'failure', description: expect.stringMatching(/^Review failed: step merge failed/) });
      }
    } finally {
      await h.close();
      await workers.stop();
      await scene.close();
    }
  });

  test('the worker is SIGKILLed while the tests run: a new worker checks out again and GitHub hears the outcome exactly once', async () => {
    const started = Date.now();
    const prefix = uniqueTaskQueue('pr-e2e-kill');
    const scene = await startPullRequestScene({ repo: 'acme/widgets-kill', number: 9 });
    // pr-review with short timeouts, so that a dead worker is noticed in seconds rather than minutes: the
    // tests' heartbeat (the command heartbeats every 5 s) and how long a step waits for its workspace's worker.
    type Timeouts = { timeout: Record<string, string> };
    const pipeline = parseYaml(readFileSync(builtinPipelinePath('pr-review'), 'utf8')) as PipelineInput;
    const defaults = pipeline.defaults as Timeouts;
    defaults.timeout = { ...defaults.timeout, scheduleToStart: '5s' };
    const tests = pipeline.steps.find((s) => s.id === 'tests') as unknown as Timeouts;
    tests.timeout = { ...tests.timeout, heartbeat: '12s' };
    const env = { ...scene.secretEnv(), REVIEW_WORKSPACE_ROOT: join(root, 'kill'), REVIEW_SHUTDOWN_GRACE: '1s', LOG_LEVEL: 'warn' };
    const workers: WorkerProcess[] = [await startWorkerProcess(prefix, env)];
    const h = await harness(scene, prefix, pipeline, { report: 'status', language: 'javascript', strict: false, testCommand: 'sleep 6 && node --test test/' });
    try {
      const reviewId = await open(h);
      const running = await waitFor(
        async () => {
          const status = await h.client.getStatus(reviewId);
          return stepOf(status, 'tests')?.state === 'running' ? status : undefined;
        },
        120_000,
        200,
      );
      const firstQueue = (stepOf(running, 'checkout')?.output as { queue: string }).queue;
      workers[0]!.child.kill('SIGKILL');
      expect(await workers[0]!.exited).toBeNull();
      const killedAt = Date.now();
      console.log(`pr-review e2e (SIGKILL): killed the worker ${killedAt - started} ms after the start`);
      workers.push(await startWorkerProcess(prefix, env));
      console.log(`pr-review e2e (SIGKILL): a new worker is ready ${Date.now() - killedAt} ms after the kill`);
      await approveOnGitHub(h, reviewId);
      console.log(`pr-review e2e (SIGKILL): approved ${Date.now() - killedAt} ms after the kill`);
      const result = await h.client.result(reviewId);
      expect(result.state).toBe('completed');
      const checkout = stepOf(result, 'checkout')?.output as { queue: string; sha: string; fetched: string };
      expect(checkout.sha).toBe(scene.repository.head);
      expect(checkout.queue).not.toBe(firstQueue);
      expect(stepOf(result, 'tests')?.output).toMatchObject({ exitCode: 0, passed: true });

      const { github } = scene;
      const final = (stepOf(result, 'report')?.output as { passed?: boolean } | undefined)?.passed === true ? 'success' : 'failure';
      const posted = github.requests.filter((r) => r.method === 'POST' && r.path.includes('/statuses/'));
      expect(posted.map((r) => (r.body as { state: string }).state)).toEqual(['pending', final, final]);
      expect(github.statuses().filter((s) => s.state !== 'pending')).toEqual([
        expect.objectContaining({ state: final, sha: scene.repository.head, description: expect.stringMatching(/^Approved; checks .*; merging$/) }),
        expect.objectContaining({ state: final, sha: scene.repository.head, description: expect.stringMatching(/^Review completed/) }),
      ]);
      expect(github.merges()).toEqual([expect.objectContaining({ sha: scene.repository.head })]);
      expect(github.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/merge'))).toHaveLength(1);
      // Both processes keep their checkouts under the same root: the new one found the commit in the shared cache.
      expect(checkout).toMatchObject({ fetched: 'cache' });
      expectAuthenticatedFetches(scene);
      console.log(`pr-review e2e (SIGKILL): ${Date.now() - started} ms in all, ${Date.now() - killedAt} ms after the kill`);
    } finally {
      await h.close();
      for (const w of workers) {
        if (w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill('SIGTERM');
          await w.exited;
        }
      }
      await scene.close();
    }
  });
});
