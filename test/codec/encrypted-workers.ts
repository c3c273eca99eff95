import { withReviewWorkers } from '../helpers/review-workers';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { bundleReviewWorkflows } from '../../workers/review-workers';
import { devServerAddress, workflowBundle } from '../helpers/environments';

export interface EncryptedDevEnv {
  /** Uses `dataConverter` (the codec), like the real client and workers. */
  client: Client;
  /** Sees the history as Temporal stores it. */
  rawClient: Client;
  close(): Promise<void>;
}

export async function encryptedDevEnv(dataConverter: DataConverter | undefined): Promise<EncryptedDevEnv> {
  const connection = await Connection.connect({ address: devServerAddress() });
  return {
    client: new Client({ connection, ...(dataConverter ? { dataConverter } : {}) }),
    rawClient: new Client({ connection }),
    close: () => connection.close(),
  };
}

let encryptedBundle: Promise<WorkflowBundle> | undefined;
/** The review workflows bundled with the failure converter that encodes messages and stack traces. */
export function encryptedWorkflowBundle(): Promise<WorkflowBundle> {
  encryptedBundle ??= bundleReviewWorkflows({ encodeFailures: true });
  return encryptedBundle;
}

/** One worker per priority tier on the dev server, all with `dataConverter`, while `fn` runs. */
export async function withEncryptedWorkers<T>(
  prefix: string,
  activities: object,
  dataConverter: DataConverter | undefined,
  fn: () => Promise<T>,
  bundle: WorkflowBundle | { codePath: string } = workflowBundle(),
): Promise<T> {
  const connection = await NativeConnection.connect({ address: devServerAddress() });
  try {
    return await withReviewWorkers(connection, prefix, activities, fn, {
      workflowBundle: bundle,
      ...(dataConverter ? { dataConverter } : {}),
    });
  } finally {
    await connection.close();
  }
}

/**
 * Every string of the history as JSON, each followed by its base64 decoding (payload bytes are base64
 * there), so plaintext anywhere in the history is visible to a plain substring search.
 */
export function historyText(history: unknown): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value, Buffer.from(value, 'base64').toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([k, v]) => (out.push(k), walk(v)));
  };
  walk(JSON.parse(JSON.stringify(history)) as unknown);
  return out.join('\n');
}
