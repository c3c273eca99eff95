import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import { TEST_BUNDLE_PATH, TEST_WORKFLOWS_ENTRY } from './paths';

declare global {
  // eslint-disable-next-line no-var
  var __reviewDevServer: RunningDevServer | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Builds the workflow bundle once per run and starts one in-memory dev server shared by all test files. */
export default async function globalSetup(): Promise<void> {
  const [bundle, server] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: TEST_WORKFLOWS_ENTRY, logger: quietLogger }),
    freePort().then((port) => startDevServer({ port, headless: true })),
  ]);
  writeFileSync(TEST_BUNDLE_PATH, bundle.code);
  process.env.REVIEW_TEST_BUNDLE = TEST_BUNDLE_PATH;
  process.env.REVIEW_TEST_TEMPORAL_ADDRESS = server.address;
  globalThis.__reviewDevServer = server;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
