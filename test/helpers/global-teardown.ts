import { rmSync } from 'node:fs';
import { reportWorkflowCoverage, WORKFLOW_COVERAGE_DIR_ENV } from './workflow-coverage';

export default async function globalTeardown(globalConfig?: { collectCoverage: boolean; coverageDirectory: string }): Promise<void> {
  await globalThis.__reviewDevServer?.stop();
  if (process.env.REVIEW_TEST_BUNDLE) rmSync(process.env.REVIEW_TEST_BUNDLE, { force: true });
  const dir = process.env[WORKFLOW_COVERAGE_DIR_ENV];
  if (dir && globalConfig) {
    // A problem with the coverage report is printed, not turned into a failed run.
    await reportWorkflowCoverage(dir, globalConfig.coverageDirectory).catch((err: unknown) =>
      console.error(`workflow coverage: no report: ${err instanceof Error ? err.stack : String(err)}`),
    );
  }
}
