/**
 * `/readyz` with the one-review-queue topology: it names every task queue the process polls (the review queue,
 * each tier step queue it serves, its own workspace queue), is ready only while all of them are polled, and
 * stops being ready as soon as the process begins to shut down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { loadWorkerConfig } from '../../workers/config';
import { startHealthServer } from '../../workers/health';
import { createReviewWorkers } from '../../workers/review-workers';
import { devServerAddress, uniqueTaskQueue, workflowBundle } from '../helpers/environments';
import { freePort } from '../helpers/global-setup';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

async function readyz(url: string): Promise<{ status: number; body: { status: string; workers: Record<string, string> } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; workers: Record<string, string> } };
}

async function withHealth(env: Record<string, string>, fn: (url: string, queues: { review?: string; tiers: string[]; workspace: string }, stop: () => Promise<void>) => Promise<void>): Promise<void> {
  const prefix = env.REVIEW_TASK_QUEUE_PREFIX as string;
  const connection = await NativeConnection.connect({ address: devServerAddress() });
  const workspaceRoot = mkdtempSync(join(tmpdir(), 'review-readyz-'));
  const workers = await createReviewWorkers({
    connection,
    config: loadWorkerConfig(env),
    logger: pino({ level: 'silent' }),
    workflowBundle: workflowBundle(),
    executorCatalog: null,
    workspaceRoot,
  });
  const port = await freePort();
  const server: Server = await startHealthServer('127.0.0.1', port, { ready: workers.ready, details: workers.states });
  const url = `http://127.0.0.1:${port}`;
  let running: Promise<void> | undefined;
  const stop = async () => {
    workers.shutdown();
    await running;
  };
  try {
    // Created but not yet polling: not ready.
    const before = await readyz(url);
    expect(before.status).toBe(503);
    expect(before.body.status).toBe('not ready');
    running = workers.run();
    const tiers = workers.queues.filter((q) => q.name !== prefix).map((q) => q.name);
    await fn(url, { ...(workers.queues.some((q) => q.name === prefix) ? { review: prefix } : {}), tiers, workspace: workers.workspaces.queue }, stop);
  } finally {
    await stop();
    server.close();
    await connection.close();
    rmSync(workspaceRoot, { recursive: true, force: true });
  }
}

describe('/readyz', () => {
  it('names the review queue, the tier queues and the workspace queue, and turns not ready on shutdown', async () => {
    const prefix = uniqueTaskQueue('readyz');
    await withHealth({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_TIERS: 'critical,low' }, async (url, queues, stop) => {
      expect(queues.review).toBe(prefix);
      expect(queues.tiers).toEqual([`${prefix}-critical`, `${prefix}-low`]);
      const ready = await waitFor(async () => {
        const r = await readyz(url);
        return r.status === 200 ? r : undefined;
      });
      expect(ready.body).toEqual({
        status: 'ready',
        workers: { [prefix]: 'RUNNING', [`${prefix}-critical`]: 'RUNNING', [`${prefix}-low`]: 'RUNNING', [queues.workspace]: 'RUNNING' },
      });
      expect(queues.workspace.startsWith(`${prefix}-host-`)).toBe(true);
      const stopping = stop();
      const after = await readyz(url);
      expect(after.status).toBe(503);
      expect(Object.values(after.body.workers).every((state) => state !== 'RUNNING')).toBe(true);
      await stopping;
      expect((await readyz(url)).body.workers[prefix]).toBe('STOPPED');
    });
  });

  it('for a tier fleet (REVIEW_WORKFLOWS=off) names only its tier queue and its workspace queue', async () => {
    const prefix = uniqueTaskQueue('readyz-tier');
    await withHealth({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_WORKFLOWS: 'off', REVIEW_TIERS: 'critical' }, async (url, queues) => {
      expect(queues.review).toBeUndefined();
      const ready = await waitFor(async () => {
        const r = await readyz(url);
        return r.status === 200 ? r : undefined;
      });
      expect(Object.keys(ready.body.workers).sort()).toEqual([`${prefix}-critical`, queues.workspace].sort());
    });
  });
});
