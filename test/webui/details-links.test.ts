// The review's current details in the Temporal Web UI: verdicts and the link to the review page.
// No image of the graph: tried, the Web UI draws details markdown in a frame whose Content Security
// Policy is default-src 'none', and the browser refused to load the SVG (an <img> there never loads).
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
const SCREENSHOT_DIR = join(__dirname, '..', '..', 'coverage', 'screenshots');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#2a7"/></svg>';

(CHROMIUM ? describe : describe.skip)('the review in the Temporal Web UI links to its page', () => {
  let server: RunningDevServer;
  let uiPort: number;
  let pages: Server;
  const requested: string[] = [];
  beforeAll(async () => {
    uiPort = await freePort();
    server = await startDevServer({ port: await freePort(), uiPort });
    // A stand-in for the review page's server: answers the graph as SVG and records what was asked.
    pages = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url?.endsWith('/graph.svg')) res.writeHead(200, { 'content-type': 'image/svg+xml', 'access-control-allow-origin': '*' }).end(SVG);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>review page</h1>');
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => pages?.close(resolve));
    await server?.stop();
  });

  it('shows verdicts in words and a link to the review page', async () => {
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const reviews = devReviews(client);
    const native = await NativeConnection.connect({ address: server.address });
    const base = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    await withReviewWorkers(native, reviews.prefix, recordingActivities().activities, async () => {
      const pageUrl = `${base}/reviews/${encodeURIComponent(`${reviews.prefix}-1`)}`;
      const handle = await reviews.start(
        {
          name: 'ui-verdicts',
          steps: [
            { id: 'lint', uses: 'echo', with: { passed: false } },
            { id: 'tests', uses: 'echo', with: { passed: true } },
            { id: 'editor', needs: ['lint', 'tests'], gate: { approvers: ['alice'] } },
          ],
        },
        { subject: 'post-links', pageUrl },
      );
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
        const refusals: string[] = [];
        page.on('console', (message) => {
          if (/Content Security Policy|Refused to load/i.test(message.text()) && message.text().includes(base)) refusals.push(message.text());
        });
        await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows/${handle.workflowId}`);
        await page.getByText('User Metadata').first().click();
        const inFrames = <T>(fn: (frame: import('playwright-core').Frame) => Promise<T | undefined>) =>
          waitFor(async () => {
            for (const frame of page.frames()) {
              const found = await fn(frame).catch(() => undefined);
              if (found !== undefined) return found;
            }
            return undefined;
          }, 30_000);
        const table = await inFrames(async (frame) => {
          const text = await frame.locator('table').first().textContent({ timeout: 200 });
          return text?.includes('awaiting_approval') ? text.replace(/\s+/g, ' ') : undefined;
        });
        expect(table).toMatch(/lint\s*succeeded\s*❌ found problems/);
        expect(table).toMatch(/tests\s*succeeded\s*✅ passed/);
        const href = await inFrames(async (frame) => (await frame.locator('a', { hasText: 'Open the review page' }).first().getAttribute('href', { timeout: 200 })) ?? undefined);
        expect(href).toBe(pageUrl);
        // The image: present in the markup, and drawn only if the Web UI lets it load.
        const markup = await inFrames(async (frame) => {
          const html = await frame.locator('body').innerHTML({ timeout: 200 });
          return html.includes('Open the review page') ? html : undefined;
        });
        // The link only: an image would be refused by the frame's Content Security Policy.
        expect(markup).not.toContain('<img');
        expect(refusals).toEqual([]);
        expect(requested.filter((url) => url.endsWith('/graph.svg'))).toEqual([]);
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOT_DIR, 'web-ui-details-links.png'), fullPage: true });
      } finally {
        await browser.close();
      }
      await handle.terminate('checked');
    });
    await native.close();
    await connection.close();
  }, 180_000);
});
