/**
 * Workspace affinity on the dev server with two workers in this process, each with its own workspace
 * root and its own host queue: steps run beside their checkout, a worker that goes away mid-review
 * leads to a fresh checkout on the other one, workspaces go when the review closes, and orphans of
 * workers that are gone are removed when a worker starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { z } from 'zod';
import type { NativeConnection } from '@temporalio/worker';
import { defineExecutor } from '../../activities';
import type { PipelineInput } from '../../src/definition/schema';
import { approveUpdate, statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers, type ReviewWorkers } from '../../workers/review-workers';
import { devReviews } from '../helpers/dev-review';
import { devServerEnv, uniqueTaskQueue, workflowBundle, type DevServerEnv } from '../helpers/environments';
import { gitFixture, type GitFixture } from '../helpers/git-fixtures';
import { waitFor } from '../helpers/wait';

jest.setTimeout(120_000);

let env: DevServerEnv;
let fixture: GitFixture;
beforeAll(async () => {
  env = await devServerEnv();
  fixture = await gitFixture();
});
afterAll(async () => {
  await env?.close();
  await rm(fixture.dir, { recursive: true, force: true });
});

/** Says which worker ran the step and what it found in the workspace. */
const where = (worker: string) =>
  defineExecutor({
    type: 'where',
    description: 'Reports the worker and reads a file of the workspace',
    input: z.object({ path: z.string(), file: z.string().default('README.md') }),
    async run(input) {
      const file = join(input.path, input.file);
      return { worker, found: existsSync(file) ? readFileSync(file, 'utf8') : null };
    },
  });

interface Running {
  name: string;
  root: string;
  workers: ReviewWorkers;
  running: Promise<void>;
}

async function startWorker(name: string, prefix: string, connection: NativeConnection, root: string): Promise<Running> {
  const workers = await createReviewWorkers({
    connection,
    config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_SHUTDOWN_GRACE: '1s' }),
    executors: [where(name)],
    logger: pino({ level: 'silent' }),
    workflowBundle: workflowBundle(),
    workspaceRoot: root,
  });
  return { name, root, workers, running: workers.run() };
}

async function stop(w: Running): Promise<void> {
  w.workers.shutdown();
  await w.running;
}

const step = (status: ReviewStatus, id: string) => status.steps.find((s) => s.id === id);
const out = (status: ReviewStatus, id: string) => step(status, id)?.output as Record<string, unknown> | undefined;

async function twoWorkers(prefix: string) {
  const reviews = devReviews(env.client, prefix);
  // One connection each, as two processes would have (workers of one connection may not share a queue).
  const connections = [await reviews.connect(), await reviews.connect()] as const;
  const roots = [await mkdtemp(join(tmpdir(), 'ws-a-')), await mkdtemp(join(tmpdir(), 'ws-b-'))] as const;
  const a = await startWorker('A', prefix, connections[0], roots[0]);
  const b = await startWorker('B', prefix, connections[1], roots[1]);
  const byQueue = (queue: unknown) => [a, b].find((w) => w.workers.workspaces.queue === queue);
  return {
    reviews,
    a,
    b,
    byQueue,
    async close() {
      for (const w of [a, b]) if (w.workers.workers.some((x) => x.getState() === 'RUNNING')) await stop(w);
      for (const c of connections) await c.close();
      for (const root of roots) await rm(root, { recursive: true, force: true });
    },
  };
}

const checkout = () => ({ id: 'checkout', uses: 'checkout', with: { repository: fixture.origin, sha: fixture.main[1] } });

describe('workspace affinity', () => {
  it('runs every workspace step on the worker holding its checkout, and removes the workspace when the review closes', async () => {
    const t = await twoWorkers(uniqueTaskQueue('ws'));
    try {
      const pipeline: PipelineInput = {
        name: 'affinity',
        defaults: { retry: { maxAttempts: 1 } },
        steps: [
          checkout(),
          ...['lint', 'types', 'unit'].map((id) => ({
            id,
            uses: 'where',
            needs: ['checkout'],
            workspace: 'checkout',
            with: { path: '${{ steps.checkout.output.path }}', file: 'index.js' },
          })),
          { id: 'report', uses: 'where', needs: ['lint', 'types', 'unit'], workspace: 'checkout', with: { path: '${{ steps.checkout.output.path }}' } },
          { id: 'notify', uses: 'where', needs: ['report'], with: { path: '/nonexistent' } },
        ],
      };
      const results = await Promise.all([t.reviews.start(pipeline), t.reviews.start(pipeline), t.reviews.start(pipeline)].map(async (h) => (await h).result()));
      for (const result of results) {
        expect(result.state).toBe('completed');
        const co = out(result, 'checkout') as { queue: string; workspace: string; path: string; sha: string };
        expect(co.sha).toBe(fixture.main[1]);
        const holder = t.byQueue(co.queue);
        expect(holder).toBeDefined();
        expect(co.workspace.startsWith(holder!.root)).toBe(true);
        for (const id of ['lint', 'types', 'unit']) expect(out(result, id)).toEqual({ worker: holder!.name, found: 'module.exports = 1;\n' });
        expect(out(result, 'report')).toEqual({ worker: holder!.name, found: '# widgets\n' });
        // Removed at close, before the result was returned.
        expect(existsSync(co.workspace)).toBe(false);
        expect(existsSync(holder!.workers.workspaces.dir)).toBe(true);
      }
    } finally {
      await t.close();
    }
  });

  it('checks out again on the other worker when the one holding the workspace shuts down mid-review', async () => {
    const t = await twoWorkers(uniqueTaskQueue('ws-lost'));
    try {
      const handle = await t.reviews.start({
        name: 'lost',
        defaults: { retry: { maxAttempts: 2, initialInterval: '1s' } },
        steps: [
          checkout(),
          { id: 'build', uses: 'where', needs: ['checkout'], workspace: 'checkout', with: { path: '${{ steps.checkout.output.path }}' } },
          { id: 'hold', needs: ['build'], gate: { approvers: ['alice'] } },
          {
            id: 'test',
            uses: 'where',
            needs: ['hold'],
            workspace: 'checkout',
            timeout: { scheduleToStart: '3s' },
            with: { path: '${{ steps.checkout.output.path }}', file: 'index.js' },
          },
        ],
      });
      const before = await waitFor(async () => {
        const s = await handle.query(statusQuery);
        return step(s, 'hold')?.state === 'awaiting_approval' ? s : undefined;
      }, 60_000);
      const first = out(before, 'checkout') as { queue: string; workspace: string };
      const holder = t.byQueue(first.queue)!;
      const other = holder === t.a ? t.b : t.a;
      expect(out(before, 'build')).toMatchObject({ worker: holder.name });
      expect(existsSync(first.workspace)).toBe(true);

      await stop(holder);
      expect(existsSync(holder.workers.workspaces.dir)).toBe(false); // a graceful stop removes its workspaces
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'hold', by: 'alice' }] });
      const result = await handle.result();

      expect(result.state).toBe('completed');
      const second = out(result, 'checkout') as { queue: string; workspace: string; path: string };
      expect(second.queue).toBe(other.workers.workspaces.queue);
      expect(out(result, 'test')).toEqual({ worker: other.name, found: 'module.exports = 1;\n' });
      expect(out(result, 'build')).toMatchObject({ worker: holder.name });
      expect(result.notices?.join('\n')).toContain(`checkout checked out again on ${other.workers.workspaces.queue}`);
      expect(step(result, 'test')?.attempts).toBe(1);
      expect(existsSync(second.workspace)).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('fails the step with a clear message once the checkout has moved too often', async () => {
    // A checkout whose queue nobody polls: every attempt times out, each re-checkout lands on the same queue.
    const prefix = uniqueTaskQueue('ws-gone');
    const reviews = devReviews(env.client, prefix);
    const connection = await reviews.connect();
    const root = await mkdtemp(join(tmpdir(), 'ws-gone-'));
    const liar = defineExecutor({
      type: 'checkout-elsewhere',
      description: 'Claims a workspace on a queue nobody polls',
      input: z.object({}).passthrough(),
      async run() {
        return { path: '/nowhere', sha: 'x', queue: `${prefix}-host-nobody`, workspace: '/nowhere' };
      },
    });
    const workers = await createReviewWorkers({
      connection,
      config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_SHUTDOWN_GRACE: '1s' }),
      executors: [liar, where('only')],
      logger: pino({ level: 'silent' }),
      workflowBundle: workflowBundle(),
      workspaceRoot: root,
    });
    const running = workers.run();
    try {
      const handle = await reviews.start({
        name: 'gone',
        steps: [
          { id: 'co', uses: 'checkout-elsewhere' },
          { id: 'use', uses: 'where', needs: ['co'], workspace: 'co', timeout: { scheduleToStart: '1s' }, with: { path: '/x' } },
        ],
      });
      const failure = await handle.result().then(
        () => undefined,
        (err: unknown) => err as Error & { cause?: { details?: ReviewStatus[] } },
      );
      expect(failure).toBeDefined();
      const status = failure?.cause?.details?.[0] as ReviewStatus;
      expect(step(status, 'use')).toMatchObject({ state: 'failed' });
      expect(step(status, 'use')?.error).toContain('did not start step use within 1s, and co was already checked out again 3 times; giving up');
    } finally {
      workers.shutdown();
      await running;
      await connection.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('removes the workspaces of workers that are gone when a worker starts', async () => {
    const prefix = uniqueTaskQueue('ws-orphans');
    const reviews = devReviews(env.client, prefix);
    const connection = await reviews.connect();
    const root = await mkdtemp(join(tmpdir(), 'ws-orphans-'));
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    const orphan = join(root, 'workers', `${prefix}-host-old-1234`);
    await mkdir(join(orphan, 'review-1', 'checkout'), { recursive: true });
    await writeFile(join(orphan, 'owner.json'), JSON.stringify({ pid: dead, hostname: hostname(), queue: `${prefix}-host-old-1234` }));
    const w = await startWorker('C', prefix, connection, root);
    try {
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(w.workers.workspaces.dir)).toBe(true);
      expect(w.workers.ready()).toBe(true);
    } finally {
      await stop(w);
      await connection.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
