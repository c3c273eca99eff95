/**
 * A dev server of its own for worker-versioning tests: the project's dev server (same binary, arguments and
 * dynamic config) with Temporal's versioning timers shortened, so a version's pollers are forgotten and its
 * drainage is re-checked within seconds instead of minutes. A retired version can only be deleted once the
 * server has forgotten its pollers (`matching.PollerHistoryTTL`, 5 minutes by default).
 */
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import { freePort } from './global-setup';

export const VERSIONING_TEST_DYNAMIC_CONFIG: Record<string, unknown> = {
  'matching.PollerHistoryTTL': '3s',
  'matching.wv.VersionDrainageStatusRefreshInterval': '1s',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '2s',
};

export type VersioningServer = Pick<RunningDevServer, 'address' | 'stop'>;

export async function startVersioningServer(): Promise<VersioningServer> {
  return startDevServer({ port: await freePort(), headless: true, dynamicConfig: VERSIONING_TEST_DYNAMIC_CONFIG });
}
