import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { targetNode20 } from '../../workers/bundle-target';
import { SHARED_WORKFLOW_MODULES } from '../../workers/shared-modules';
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import { TEST_BUNDLE_PATH, TEST_WORKFLOWS_ENTRY } from './paths';
import { instrumentedBundle, WORKFLOW_COVERAGE_DIR_ENV } from './workflow-coverage';

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

/**
 * Builds the workflow bundle once per run and starts one in-memory dev server shared by all test files.
 * With `--coverage` the bundle is instrumented and the workers report workflow coverage (see workflow-coverage.ts);
 * REVIEW_WORKFLOW_COVERAGE=off leaves it out.
 */
export default async function globalSetup(globalConfig?: { collectCoverage: boolean; coverageDirectory: string }): Promise<void> {
  const options: BundleOptions = { workflowsPath: TEST_WORKFLOWS_ENTRY, preloadModules: SHARED_WORKFLOW_MODULES, logger: quietLogger, webpackConfigHook: targetNode20 };
  let coverage: ReturnType<typeof instrumentedBundle> | undefined;
  if (globalConfig?.collectCoverage && process.env.REVIEW_WORKFLOW_COVERAGE !== 'off') {
    const dir = mkdtempSync(join(tmpdir(), 'review-workflow-coverage-'));
    process.env[WORKFLOW_COVERAGE_DIR_ENV] = dir;
    coverage = instrumentedBundle(options, dir);
  }
  const [bundle, server] = await Promise.all([
    bundleWorkflowCode(coverage?.options ?? options),
    freePort().then((port) => startDevServer({ port, headless: true })),
  ]);
  coverage?.writeStructure();
  writeFileSync(TEST_BUNDLE_PATH, bundle.code);
  process.env.REVIEW_TEST_BUNDLE = TEST_BUNDLE_PATH;
  process.env.REVIEW_TEST_TEMPORAL_ADDRESS = server.address;
  globalThis.__reviewDevServer = server;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
