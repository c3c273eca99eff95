/**
 * A gate's reminder carries a signed approval link per approver yet to decide, made on the worker by the
 * notify executor (the key never enters workflow history), and each link opens its approval page.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { createActivities, createRegistry } from '../../activities';
import { devReviews } from '../helpers/dev-review';
import { devServerAddress } from '../helpers/environments';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { DIRECTORY, LINK_KEY, startPageHarness, type PageHarness } from './helpers';
import { memoryLogger } from '../activities/helpers';

describe('approval links in gate reminders', () => {
  let harness: PageHarness;
  let native: NativeConnection;
  let hook: Server;
  const received: Record<string, unknown>[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    harness = await startPageHarness();
    native = await NativeConnection.connect({ address: devServerAddress() });
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'review-ui-directory-'));
    writeFileSync(join(dir, 'directory.json'), JSON.stringify(DIRECTORY));
    process.env.REVIEW_UI_KEY = LINK_KEY.toString('utf8');
    process.env.REVIEW_UI_BASE_URL = harness.url;
    process.env.REVIEW_DIRECTORY_FILE = join(dir, 'directory.json');
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((r) => hook?.close(r));
    await harness?.stop();
    await native?.close();
  });

  test('one link per approver, each opening its approval page; none for who already decided', async () => {
    const reviews = devReviews(harness.client);
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/chat`;
    const activities = createActivities(createRegistry(), { logger: memoryLogger().logger });
    await withReviewWorkers(native, reviews.prefix, activities, async () => {
      const handle = await reviews.start({
        name: 'reminded',
        steps: [
          {
            id: 'editor',
            gate: {
              approvers: ['carol', 'role:editor'],
              required: 2,
              deadline: '40s',
              reminders: ['38s'],
              remind: { uses: 'notify', with: { url, event: 'reminder', text: 'An article waits for you.' } },
            },
          },
        ],
      });
      const id = handle.workflowId;
      await waitFor(async () => ((await harness.reviews.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 30_000);
      await harness.reviews.approve(id, { step: 'editor', by: 'bob' });
      const message = await waitFor(async () => received[0], 30_000);
      const links = message.approvalLinks as { approver: string; url: string; expiresAt: string }[];
      expect(links.map((l) => l.approver)).toEqual(['carol', 'alice']);
      const gate = (await harness.reviews.getStatus(id)).steps[0]?.gate;
      for (const link of links) {
        expect(link.url.startsWith(`${harness.url}/approve?t=`)).toBe(true);
        expect(link.expiresAt).toBe(gate?.deadlineAt);
        expect(message.text).toContain(`Decide as ${link.approver}: ${link.url}`);
        const page = await (await fetch(link.url)).text();
        expect(page).toContain(`as ${link.approver}</h2>`);
      }
      // The key is nowhere in the review's history.
      const history = JSON.stringify((await handle.fetchHistory()).events);
      expect(history).not.toContain(LINK_KEY.toString('utf8'));
      expect(history).not.toContain('/approve?t=');
      await handle.terminate('test over');
    });
  }, 120_000);
});
