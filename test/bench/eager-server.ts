/**
 * A second dev server, configured like the benchmark's own plus eager activity dispatch: a workflow task
 * that schedules an activity on its own task queue gets the activity task back in its completion reply,
 * so a step does not wait for an activity poll. It records long chains in about half the time (40–50
 * instead of about 90 ms per step here), with the same events: eager dispatch changes when the worker
 * receives the task, not what the history holds. Used by the size scenario, whose figures come from the
 * histories.
 */
import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { devServerArgs, waitForPort } from '../../temporal-dev/dev-server';
import { requireTemporalCli } from '../../temporal-dev/servers';
import { freePort } from '../helpers/global-setup';
import { processCpuSeconds } from './proc';

export const EAGER_DYNAMIC_CONFIG: Record<string, unknown> = { 'system.enableActivityEagerExecution': true };

export interface EagerServer {
  address: string;
  client: Client;
  serverCpuSeconds(): number;
  close(): Promise<void>;
}

export async function startEagerServer(): Promise<EagerServer> {
  const port = await freePort();
  const args = devServerArgs({ port, headless: true });
  for (const [key, value] of Object.entries(EAGER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const child = spawn(requireTemporalCli(), args, { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await Promise.race([
    waitForPort(port),
    exited.then((code) => {
      throw new Error(`eager dev server exited with code ${code} before it accepted connections`);
    }),
  ]);
  const address = `127.0.0.1:${port}`;
  const connection = await Connection.connect({ address });
  const pid = child.pid as number;
  return {
    address,
    client: new Client({ connection }),
    serverCpuSeconds: () => processCpuSeconds(pid),
    async close() {
      await connection.close();
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
