import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where global-setup writes the test workflow bundle: one per jest run, so runs side by side never share one. */
export const TEST_BUNDLE_PATH = join(tmpdir(), `review-orchestrator-test-bundle-${process.getuid?.() ?? 0}-${process.pid}.js`);
export const TEST_WORKFLOWS_ENTRY = join(__dirname, 'test-workflows.ts');
