import { Worker, NativeConnection } from '@temporalio/worker';
import { devServerAddress, devServerEnv, uniqueTaskQueue, workflowBundle, type DevServerEnv } from '../helpers/environments';
import { waitFor } from '../helpers/wait';

describe('dev server environment', () => {
  let env: DevServerEnv;
  beforeAll(async () => {
    env = await devServerEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('finds a started workflow again by a search-attribute query', async () => {
    const taskQueue = uniqueTaskQueue('sa');
    const connection = await NativeConnection.connect({ address: devServerAddress() });
    const worker = await Worker.create({ connection, taskQueue, workflowBundle: workflowBundle() });
    const marker = `smoke_${taskQueue.replace(/[^a-z0-9]/gi, '_')}`;
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('tagAndWait', { args: [marker], taskQueue, workflowId: taskQueue });
      const found = await waitFor(async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query: `ReviewStatus = '${marker}'` })) ids.push(wf.workflowId);
        return ids.length > 0 ? ids : undefined;
      });
      expect(found).toEqual([handle.workflowId]);
      await handle.terminate('smoke test done');
    });
    await connection.close();
  });
});
