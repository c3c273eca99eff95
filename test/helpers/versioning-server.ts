/**
 * A dev server of its own for worker-versioning tests: the project's dev server (same binary, arguments and
 * dynamic config) with Temporal's versioning timers shortened, so a version's pollers are forgotten and its
 * drainage is re-checked within seconds instead of minutes. A retired version can only be deleted once the
 * server has forgotten its pollers (`matching.PollerHistoryTTL`, 5 minutes by default).
 */
import { spawn } from 'node:child_process';
import { devServerArgs, waitForPort } from '../../temporal-dev/dev-server';
import { requireTemporalCli } from '../../temporal-dev/servers';
import { freePort } from './global-setup';

export const VERSIONING_TEST_DYNAMIC_CONFIG: Record<string, unknown> = {
  'matching.PollerHistoryTTL': '3s',
  'matching.wv.VersionDrainageStatusRefreshInterval': '1s',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '2s',
};

export interface VersioningServer {
  address: string;
  stop(): Promise<void>;
}

export async function startVersioningServer(): Promise<VersioningServer> {
  const port = await freePort();
  const args = devServerArgs({ port, headless: true });
  for (const [key, value] of Object.entries(VERSIONING_TEST_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const child = spawn(requireTemporalCli(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(port),
    exited.then((code) => {
      throw new Error(`the versioning test's dev server exited with code ${code} before it accepted connections:\n${stderr}`);
    }),
  ]);
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
