import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { SEARCH_ATTRIBUTES } from '../src/search-attributes';
import { requireTemporalCli } from './servers';

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file; omit for an in-memory server. */
  dbFile?: string;
  headless?: boolean;
  ip?: string;
  metricsPort?: number;
  codecEndpoint?: string;
  log?: 'inherit' | 'ignore';
  /** Dynamic config values besides (or overriding) DEV_SERVER_DYNAMIC_CONFIG. */
  dynamicConfig?: Record<string, unknown>;
}

/** Dynamic config: the priority- and fairness-aware task matcher, eager steps, prompt task dispatch, worker versioning. */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
  // One partition per task queue, so priority ordering holds across the whole queue on a single node.
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'frontend.workerVersioningWorkflowAPIs': true,
  // A step on the review's own task queue comes back with the workflow task's completion, saving a trip through matching.
  'system.enableActivityEagerExecution': true,
  // Each history shard reads its new transfer tasks (workflow and activity tasks to hand to matching) at most this
  // often per second; the default, 20, makes a step wait up to 50 ms for the next workflow task at light load.
  'history.transferProcessorMaxPollRPS': 1000,
  'history.transferProcessorMaxPollHostRPS': 10000,
  // The review search attributes are registered as the server starts, so its cache of them stays valid. The CLI turns
  // this on for search attributes added at run time; it then reads them from SQLite again on every start, workflow
  // task with a search-attribute event, and visibility write.
  'system.forceSearchAttributesCacheRefreshOnRead': false,
};

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', options.ip ?? '127.0.0.1', '--port', String(options.port)];
  if (options.headless) args.push('--headless');
  else if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  if (options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  args.push('--log-level', 'error');
  return args;
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`Temporal dev server did not open ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RunningDevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (options.dbFile) mkdirSync(dirname(options.dbFile), { recursive: true });
  const log = options.log ?? 'ignore';
  const child = spawn(requireTemporalCli(), devServerArgs(options), { stdio: ['ignore', log, log === 'ignore' ? 'pipe' : log] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(options.port, options.ip ?? '127.0.0.1'),
    exited.then((code) => {
      throw new Error(`Temporal dev server exited with code ${code} before it accepted connections${stderr ? `:\n${stderr}` : ''}`);
    }),
  ]);
  return {
    address: `${options.ip ?? '127.0.0.1'}:${options.port}`,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
