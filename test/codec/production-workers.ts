/** The production wiring on the dev server: createReviewWorkers and connectReviewClient with given encryption settings. */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import pino from 'pino';
import type { Executor } from '../../activities';
import { generateKey, workerDataConverterFromEnv } from '../../src/codec';
import { connectReviewClient } from '../../src/client';
import type { ReviewClient } from '../../src/client/review-client';
import { loadWorkerConfig } from '../../workers/config';
import { bundleReviewWorkflows, createReviewWorkers, type ReviewWorkers } from '../../workers/review-workers';
import { devServerAddress } from '../helpers/environments';
import { NativeConnection } from '@temporalio/worker';

export const K1 = generateKey();
export const K2 = generateKey();
/** Encryption settings: none, key k1, or only key k2. */
export const NO_KEYS: Record<string, string> = {};
export const KEY_1: Record<string, string> = { REVIEW_ENCRYPTION_KEYS: `k1:${K1}` };
export const KEY_2: Record<string, string> = { REVIEW_ENCRYPTION_KEYS: `k2:${K2}` };

const bundles = new Map<boolean, Promise<WorkflowBundle>>();
/** bundleReviewWorkflows, once per setting per test file. */
export function reviewBundle(encodeFailures: boolean): Promise<WorkflowBundle> {
  let bundle = bundles.get(encodeFailures);
  if (!bundle) {
    bundle = bundleReviewWorkflows({ encodeFailures });
    bundles.set(encodeFailures, bundle);
  }
  return bundle;
}

export interface RunningWorkers {
  workers: ReviewWorkers;
  /** The worker's log lines (pino JSON), as objects. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Production workers for task-queue prefix `prefix` with the given encryption settings (its matching bundle). */
export async function startWorkers(prefix: string, keys: Record<string, string>, executors: Executor[] = []): Promise<RunningWorkers> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const dataConverter = workerDataConverterFromEnv(keys);
  const connection = await NativeConnection.connect({ address: devServerAddress() });
  const workers = await createReviewWorkers({
    connection,
    config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix }),
    executors,
    logger: pino({ level: 'info' }, sink),
    dataConverter,
    workflowBundle: await reviewBundle(keys.REVIEW_ENCRYPTION_KEYS !== undefined),
  });
  const running = workers.run();
  return {
    workers,
    logs,
    stop: async () => {
      workers.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The review client as services get it (connectReviewClient), with the given encryption settings only. */
export function reviewClient(keys: Record<string, string>, taskQueuePrefix?: string): Promise<ReviewClient> {
  return connectReviewClient({ address: devServerAddress(), env: { ...keys }, directory: null, ...(taskQueuePrefix ? { taskQueuePrefix } : {}) });
}

/** A client without data converter: the history as Temporal stores it. */
export async function rawClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: devServerAddress() });
  return { client: new Client({ connection }), close: () => connection.close() };
}
