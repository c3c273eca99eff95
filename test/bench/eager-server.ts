/**
 * A second dev server, configured like the benchmark's own (eager activity dispatch included), so the size
 * scenario records its long reviews apart from the other scenarios' load. Its figures come from the
 * histories, which eager dispatch does not change.
 */
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../temporal-dev/dev-server';
import { freePort } from '../helpers/global-setup';
import { processCpuSeconds } from './proc';

export interface EagerServer {
  address: string;
  client: Client;
  serverCpuSeconds(): number;
  close(): Promise<void>;
}

export async function startEagerServer(): Promise<EagerServer> {
  const server = await startDevServer({ port: await freePort(), headless: true });
  const connection = await Connection.connect({ address: server.address });
  const pid = server.process.pid as number;
  return {
    address: server.address,
    client: new Client({ connection }),
    serverCpuSeconds: () => processCpuSeconds(pid),
    async close() {
      await connection.close();
      await server.stop();
    },
  };
}
