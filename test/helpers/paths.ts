import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where global-setup writes the shared test workflow bundle. */
export const TEST_BUNDLE_PATH = join(tmpdir(), `review-orchestrator-test-bundle-${process.getuid?.() ?? 0}.js`);
export const TEST_WORKFLOWS_ENTRY = join(__dirname, 'test-workflows.ts');
