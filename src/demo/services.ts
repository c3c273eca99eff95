/** Starts what the demo needs and is not running yet: the dev server and a worker. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer, waitForPort, type RunningDevServer } from '../../temporal-dev/dev-server';
import { defaultDataDir } from '../../temporal-dev/start';
import { recommendedHeapFlag } from '../../workers/memory';

const ROOT = join(__dirname, '..', '..');

export async function portOpen(port: number): Promise<boolean> {
  return waitForPort(port, '127.0.0.1', 0).then(
    () => true,
    () => false,
  );
}

export async function ensureDevServer(port: number, uiPort: number): Promise<RunningDevServer | undefined> {
  if (await portOpen(port)) return undefined;
  return startDevServer({ port, uiPort, dbFile: join(defaultDataDir(), 'temporal.sqlite') });
}

export interface WorkerChild {
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** A worker process (workers/main.ts) on `address`; `env` adds to its environment (task queue prefix, secrets, workspace root). */
export async function startWorker(address: string, env: Record<string, string> = {}): Promise<WorkerChild> {
  const dir = defaultDataDir();
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'demo-worker.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const childEnv = { ...process.env, TEMPORAL_ADDRESS: address, LOG_FORMAT: 'json', REVIEW_HEALTH_ADDRESS: 'off', REVIEW_METRICS_ADDRESS: 'off', ...env };
  const child = spawn(process.execPath, [recommendedHeapFlag(childEnv), '-r', 'ts-node/register/transpile-only', join(ROOT, 'workers', 'main.ts')], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** True when some worker already polls the review queue (`<prefix>`). */
export async function workerPolling(address: string, namespace = 'default', prefix = 'review'): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    const response = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: prefix, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const recent = Date.now() - 60_000;
    return (response.pollers ?? []).some((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > recent);
  } finally {
    await connection.close();
  }
}

/** Waits until the worker polls its queues (it bundles the workflow code first), or fails if it exits. */
export async function waitForWorker(address: string, worker: WorkerChild, prefix: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await workerPolling(address, 'default', prefix))) {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited with code ${worker.child.exitCode}; see ${worker.logFile}`);
    if (Date.now() > deadline) throw new Error(`the worker did not poll ${prefix}-normal within ${timeoutMs / 1000}s; see ${worker.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
