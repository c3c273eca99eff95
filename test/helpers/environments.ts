import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerPath } from '../../temporal-dev/servers';

/**
 * A time-skipping environment on the provisioned Java test server (or the SDK's download when none is
 * provisioned). The SDK gives the JVM 5 s to start; on a loaded machine it may need a second try.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = testServerPath();
  const create = () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (attempt >= 3 || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/** The shared dev server as a test environment (real time: for tests of message timing, not of deadlines). */
export async function devServerTestEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: devServerAddress() });
}

/** The shared dev server started by global-setup. */
export function devServerAddress(): string {
  const address = process.env.REVIEW_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('REVIEW_TEST_TEMPORAL_ADDRESS is not set: run tests through jest so global-setup starts the dev server');
  return address;
}

export interface DevServerEnv {
  connection: Connection;
  client: Client;
  close(): Promise<void>;
}

export async function devServerEnv(): Promise<DevServerEnv> {
  const connection = await Connection.connect({ address: devServerAddress() });
  const client = new Client({ connection });
  return { connection, client, close: () => connection.close() };
}

/** The workflow bundle built once per test run by global-setup. */
export function workflowBundle(): { codePath: string } {
  const codePath = process.env.REVIEW_TEST_BUNDLE;
  if (!codePath) throw new Error('REVIEW_TEST_BUNDLE is not set: run tests through jest so global-setup builds the bundle');
  return { codePath };
}

let counter = 0;
/** A task queue name unique to this test process, so tests sharing a server never steal each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
