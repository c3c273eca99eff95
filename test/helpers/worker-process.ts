import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { devServerAddress } from './environments';
import { freePort } from './global-setup';
import { waitFor } from './wait';
import { WORKFLOW_COVERAGE_DIR_ENV } from './workflow-coverage';

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  metricsUrl: string;
  healthUrl: string;
  exited: Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Starts `workers/main.ts` as a real process against the shared dev server and waits until it is ready. A port
 * found free can be taken (by another test's outgoing connection) before the worker binds it: then it starts
 * again on other ports.
 */
export async function startWorkerProcess(prefix: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWorkerProcessOnce(prefix, env);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || !/EADDRINUSE|already in use/.test(error.message)) throw error;
    }
  }
}

async function startWorkerProcessOnce(prefix: string, env: Record<string, string>): Promise<WorkerProcess> {
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  // With workflow coverage on, the process's workers report it too (the test bundle is instrumented).
  const coverage = process.env[WORKFLOW_COVERAGE_DIR_ENV] ? ['-r', join(__dirname, 'workflow-coverage-preload.js')] : [];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', ...coverage, join(ROOT, 'workers', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: devServerAddress(),
      REVIEW_TASK_QUEUE_PREFIX: prefix,
      REVIEW_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      REVIEW_HEALTH_ADDRESS: `127.0.0.1:${healthPort}`,
      LOG_FORMAT: 'json',
      REVIEW_WORKFLOW_BUNDLE: process.env.REVIEW_TEST_BUNDLE ?? '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      logs.push(...lines);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const healthUrl = `http://127.0.0.1:${healthPort}`;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const ready = await waitFor(
    async () => {
      if (exitCode !== undefined) return false;
      return (await fetch(`${healthUrl}/readyz`)).status === 200 ? true : undefined;
    },
    60_000,
    200,
  ).catch(() => false);
  if (!ready) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`worker did not become ready (exit code ${exitCode}):\n${logs.join('\n')}`);
  }
  return { child, logs, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, healthUrl, exited };
}

export function jsonLogs(worker: WorkerProcess): Record<string, unknown>[] {
  return worker.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
