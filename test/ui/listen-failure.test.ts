// When the page cannot listen, the one-line error names the address setting and says what to do instead.
import { createServer, type Server } from 'node:net';
import { startReviewPage } from '../../src/ui/main';
import { cliInProcess } from '../helpers/cli-in-process';
import { freePort } from '../helpers/global-setup';

const failure = async (options: Parameters<typeof startReviewPage>[0]): Promise<string> => {
  const running = await startReviewPage(options).catch((error: unknown) => error as Error);
  if (!(running instanceof Error)) {
    await running.stop();
    throw new Error(`the page started at ${running.url}`);
  }
  return running.message;
};

describe('the review page cannot listen', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test('a port in use: choose a free one, in the setting that named it', async () => {
    const fromEnv = await failure({ env: { REVIEW_UI_ADDRESS: `127.0.0.1:${port}` } });
    expect(fromEnv).toBe(
      `cannot listen on 127.0.0.1:${port} (REVIEW_UI_ADDRESS): another program is using port ${port}; give REVIEW_UI_ADDRESS a free port, e.g. 127.0.0.1:${port + 1}`,
    );
    expect(await failure({ env: {}, listen: `127.0.0.1:${port}` })).toContain(`(--listen): another program is using port ${port}; give --listen a free port`);
  });

  test('an address of another machine, or a host nobody knows: use an address of this machine', async () => {
    expect(await failure({ env: { REVIEW_UI_ADDRESS: '192.0.2.1:8088' } })).toBe(
      'cannot listen on 192.0.2.1:8088 (REVIEW_UI_ADDRESS): 192.0.2.1 is not an address of this machine; give REVIEW_UI_ADDRESS an address of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
    );
    expect(await failure({ env: {}, listen: 'no-such-host.invalid:8088' })).toMatch(
      /^cannot listen on no-such-host\.invalid:8088 \(--listen\): no host named 'no-such-host\.invalid' is known here; give --listen an address of this machine/,
    );
  });

  test('review ui reports it in one line', async () => {
    const run = await cliInProcess('ui', '--listen', `127.0.0.1:${port}`);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`cannot listen on 127.0.0.1:${port} (--listen): another program is using port ${port}`)]);
  });
});
