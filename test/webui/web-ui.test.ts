import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../../temporal-dev/dev-server';
import { freePort } from '../helpers/global-setup';
import { devReviews } from '../helpers/dev-review';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { statusQuery } from '../../workflows/messages';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'coverage', 'screenshots');

(CHROMIUM ? describe : describe.skip)('the Temporal Web UI', () => {
  let server: RunningDevServer;
  let uiPort: number;
  beforeAll(async () => {
    uiPort = await freePort();
    server = await startDevServer({ port: await freePort(), uiPort });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('shows a review with its step summaries and the live current-details table', async () => {
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const reviews = devReviews(client);
    const native = await NativeConnection.connect({ address: server.address });
    await withReviewWorkers(native, reviews.prefix, recordingActivities().activities, async () => {
      const handle = await reviews.start(
        {
          name: 'ui-review',
          steps: [
            { id: 'lint', name: 'Markdown lint', uses: 'echo' },
            { id: 'spelling', name: 'Spelling', uses: 'echo' },
            { id: 'editor', needs: ['lint', 'spelling'], gate: { approvers: ['alice'] } },
          ],
        },
        { subject: 'post-ui' },
      );
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      const url = `http://127.0.0.1:${uiPort}/namespaces/default/workflows/${handle.workflowId}`;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
        await page.goto(url);
        await page.getByText('Markdown lint · echo').first().waitFor({ timeout: 30_000 });
        const timeline = await page.locator('body').innerText();
        expect(timeline).toContain('Spelling · echo');
        await page.getByText('User Metadata').first().click();
        // The Web UI renders workflow markdown inside a sandboxed frame.
        const frameText = (selector: string, needle: string) =>
          waitFor(async () => {
            for (const frame of page.frames()) {
              const text = await frame.locator(selector).first().textContent({ timeout: 200 }).catch(() => null);
              if (text?.includes(needle)) return text.replace(/\s+/g, ' ');
            }
            return undefined;
          }, 30_000);
        const table = await frameText('table', 'awaiting_approval');
        expect(table).toMatch(/lint\s*succeeded/);
        expect(table).toMatch(/spelling\s*succeeded/);
        expect(table).toMatch(/editor\s*awaiting_approval\s*gate/);
        expect(await frameText('body', 'post-ui')).toContain('ui-review · post-ui · normal priority');
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOT_DIR, 'web-ui-review.png'), fullPage: true });
      } finally {
        await browser.close();
      }
      await handle.terminate('screenshot taken');
    });
    await native.close();
    await connection.close();
  }, 180_000);
});
