/**
 * A fault campaign: many reviews run while the worker is SIGKILLed and restarted, the dev server is
 * stopped and started again on the same SQLite file, and the worker's network is cut. Counts what was
 * lost and which side effects were applied twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PipelineSchema } from '../../src/definition/schema';
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import type { ReviewStatus } from '../../workflows/types';
import { freePort } from '../helpers/global-setup';
import { duplicates, readLedger } from './ledger';
import { startProxy } from './tcp-proxy';

export interface CampaignOptions {
  reviews: number;
  kills: number;
  serverRestart: boolean;
  networkCutMs: number;
  log?: (line: string) => void;
}

export interface CampaignReport {
  reviewsStarted: number;
  reviewsCompleted: number;
  reviewsLost: number;
  workerKills: number;
  serverRestarts: number;
  networkCutMs: number;
  sideEffectsExpected: number;
  sideEffectsApplied: number;
  duplicatedSideEffects: number;
  retriedAttempts: number;
  wallSeconds: number;
}

const ROOT = join(__dirname, '..', '..');
const STEPS = ['fetch', 'lint', 'tests', 'scan', 'report'];

const pipeline = PipelineSchema.parse({
  name: 'fault-campaign',
  defaults: {
    retry: { maxAttempts: 50, initialInterval: '500ms', maxInterval: '2s' },
    timeout: { startToClose: '60s', heartbeat: '2s' },
  },
  maxParallel: 3,
  steps: [
    { id: 'fetch', uses: 'ledger', with: { delayMs: 200 } },
    { id: 'lint', uses: 'ledger', needs: ['fetch'], with: { delayMs: 300 } },
    { id: 'tests', uses: 'ledger', needs: ['fetch'], with: { delayMs: 600 } },
    { id: 'scan', uses: 'ledger', needs: ['fetch'], with: { delayMs: 400 } },
    { id: 'report', uses: 'ledger', needs: ['lint', 'tests', 'scan'], with: { delayMs: 100 } },
  ],
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

export async function runFaultCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'review-faults-'));
  const dbFile = join(dir, 'temporal.sqlite');
  const ledgerPath = join(dir, 'ledger.jsonl');
  const bundlePath = join(dir, 'workflows.js');
  const port = await freePort();
  const prefix = 'faults';
  let server: RunningDevServer = await startDevServer({ port, headless: true, dbFile });
  const [bundle, proxy] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet }),
    startProxy(port),
  ]);
  writeFileSync(bundlePath, bundle.code);

  let worker: ChildProcess | undefined;
  let stopping = false;
  // Like a process supervisor: a worker that exits by itself (e.g. it could not connect) is started again.
  const startWorker = async (): Promise<void> => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'fault-worker.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`,
        REVIEW_TASK_QUEUE_PREFIX: prefix,
        REVIEW_WORKFLOW_BUNDLE: bundlePath,
        REVIEW_METRICS_ADDRESS: 'off',
        REVIEW_HEALTH_ADDRESS: 'off',
        REVIEW_SHUTDOWN_GRACE: '1s',
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
        FAULT_LEDGER: ledgerPath,
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    worker = child;
    child.once('exit', (_code, signal) => {
      if (!stopping && signal !== 'SIGKILL' && worker === child) setTimeout(() => void startWorker(), 1000);
    });
  };
  const killWorker = async (): Promise<void> => {
    const child = worker;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };

  const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  const client = new Client({ connection });
  const report: CampaignReport = {
    reviewsStarted: 0,
    reviewsCompleted: 0,
    reviewsLost: 0,
    workerKills: 0,
    serverRestarts: 0,
    networkCutMs: 0,
    sideEffectsExpected: options.reviews * STEPS.length,
    sideEffectsApplied: 0,
    duplicatedSideEffects: 0,
    retriedAttempts: 0,
    wallSeconds: 0,
  };
  try {
    await startWorker();
    const ids = Array.from({ length: options.reviews }, (_, i) => `fault-${i}`);
    for (const id of ids) {
      await client.workflow.start('reviewWorkflow', {
        taskQueue: prefix,
        workflowId: id,
        args: [{ definition: pipeline, options: { taskQueuePrefix: prefix, stepQueues: 'workflow' } }],
      });
      report.reviewsStarted += 1;
    }
    log(`started ${ids.length} reviews of ${STEPS.length} steps each`);

    for (let k = 0; k < options.kills; k++) {
      await pause(between(500, 2500));
      await killWorker();
      report.workerKills += 1;
      await pause(between(100, 800));
      await startWorker();
      if (options.serverRestart && k === Math.floor(options.kills / 2)) {
        await server.stop();
        await pause(1000);
        server = await startDevServer({ port, headless: true, dbFile });
        report.serverRestarts += 1;
        log('restarted the dev server on the same SQLite file');
      }
    }
    if (options.networkCutMs > 0) {
      proxy.cut();
      log(`cut the worker's network for ${options.networkCutMs} ms`);
      await pause(options.networkCutMs);
      proxy.restore();
      report.networkCutMs = options.networkCutMs;
    }
    log(`injected ${report.workerKills} worker kills; waiting for every review to finish`);

    const deadline = Date.now() + 10 * 60_000;
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        for (;;) {
          try {
            return (await client.workflow.getHandle(id).result()) as ReviewStatus;
          } catch (err) {
            if (Date.now() > deadline) return undefined;
            if ((err as Error).name === 'WorkflowFailedError') return undefined;
            await pause(500);
          }
        }
      }),
    );
    report.reviewsCompleted = outcomes.filter((o) => o?.state === 'completed' && o.steps.every((s) => s.state === 'succeeded')).length;
    report.reviewsLost = report.reviewsStarted - report.reviewsCompleted;
    report.retriedAttempts = outcomes.reduce((n, o) => n + (o?.steps.reduce((m, s) => m + Math.max(0, s.attempts - 1), 0) ?? 0), 0);
    const entries = readLedger(ledgerPath);
    report.sideEffectsApplied = entries.length;
    report.duplicatedSideEffects = duplicates(entries).length;
  } finally {
    stopping = true;
    await killWorker();
    await connection.close();
    await proxy.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  report.wallSeconds = Math.round((Date.now() - started) / 1000);
  return report;
}

const noop = (): void => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
