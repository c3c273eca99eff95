/** The benchmark's own Temporal dev server, workflow bundle and client. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { targetNode20 } from '../../workers/bundle-target';
import { SHARED_WORKFLOW_MODULES } from '../../workers/shared-modules';
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import { freePort } from '../helpers/global-setup';
import { processCpuSeconds } from './proc';
import type { BenchContext } from './worker-process';

export interface BenchEnvironment extends BenchContext {
  client: Client;
  server: RunningDevServer;
  /** `in-memory` or the SQLite file the server writes. */
  storage: string;
  serverCpuSeconds(): number;
  close(): Promise<void>;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

const ROOT = join(__dirname, '..', '..');

/** Compiles the project to dist/ (`npm run build`): the benchmark's worker runs the JavaScript, as production does. */
function compileWorker(): string {
  const built = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`compiling the project for the benchmark's worker failed (tsc exited with ${built.status ?? built.signal})`);
  return join(ROOT, 'dist', 'test', 'bench', 'worker-child.js');
}

export async function startBenchEnvironment(options: { sqlite: boolean; profileDir?: string }): Promise<BenchEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), 'review-bench-'));
  const dbFile = options.sqlite ? join(dir, 'temporal.sqlite') : undefined;
  const bundlePath = join(dir, 'workflows-bundle.js');
  const workerEntry = compileWorker();
  const [bundle, server] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('./bench-workflows'), logger: quietLogger, webpackConfigHook: targetNode20, preloadModules: SHARED_WORKFLOW_MODULES }),
    freePort().then((port) => startDevServer({ port, headless: true, ...(dbFile ? { dbFile } : {}) })),
  ]);
  writeFileSync(bundlePath, bundle.code);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const pid = server.process.pid as number;
  return {
    address: server.address,
    bundlePath,
    workerEntry,
    ...(options.profileDir ? { profileDir: options.profileDir } : {}),
    client,
    server,
    storage: dbFile ? `SQLite file ${dbFile}` : 'in-memory SQLite',
    serverCpuSeconds: () => processCpuSeconds(pid),
    async close() {
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
