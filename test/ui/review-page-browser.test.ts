/**
 * The review page in headless Chromium: a review waiting at its gate drawn as SVG with each step's state,
 * a step's details opened by a click, a signed approval link followed and used, and the page turning the
 * gate and the review to completed as it happens. Screenshots land in coverage/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { NativeConnection } from '@temporalio/worker';
import { approvalLinkUrl, signApprovalLink } from '../../src/ui/approval-links';
import { devReviews } from '../helpers/dev-review';
import { devServerAddress } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { gatedPipeline, LINK_KEY, startPageHarness, type PageHarness } from './helpers';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const SCREENSHOT_DIR = join(__dirname, '..', '..', 'coverage', 'screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

(CHROMIUM ? describe : describe.skip)('the review page in a browser', () => {
  let harness: PageHarness;
  let native: NativeConnection;
  let browser: Browser;
  beforeAll(async () => {
    harness = await startPageHarness({ webUiUrl: 'http://127.0.0.1:8233' });
    native = await NativeConnection.connect({ address: devServerAddress() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.stop();
    await native?.close();
  });

  test('shows the DAG with live states, and an approval link turns the gate and the review to completed', async () => {
    const reviews = devReviews(harness.client);
    await withReviewWorkers(native, reviews.prefix, recordingActivities().activities, async () => {
      const handle = await reviews.start(gatedPipeline('blog-review'), { subject: 'posts/durable-reviews.md', tenant: 'docs-team' });
      const id = handle.workflowId;
      await waitFor(async () => ((await harness.reviews.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 30_000);

      const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${harness.url}/reviews/${encodeURIComponent(id)}`);
      const box = (step: string) => page.locator(`#graph svg g.step[data-step="${step}"]`);
      await box('editor').waitFor();
      expect(await page.locator('#graph svg g.step').count()).toBe(5);
      expect(await box('lint').locator('text.state').textContent()).toBe('✓ succeeded');
      expect(await box('report').locator('text.state').textContent()).toBe('✓ succeeded');
      expect(await box('editor').locator('text.state').textContent()).toBe('◇ awaiting approval');
      expect(await box('editor').locator('text.detail').textContent()).toMatch(/^0\/1 approved · due /);
      expect(await box('publish').locator('text.state').textContent()).toBe('○ pending');
      expect(await box('editor').getAttribute('class')).toContain('st-awaiting_approval');
      expect(await page.locator('#review-state').textContent()).toBe('◇ awaiting approval');

      // A step's details: its report rendered from markdown, script in it inert.
      await box('report').click();
      await page.locator('#details h1', { hasText: 'Review report' }).waitFor();
      expect(await page.locator('#details a', { hasText: 'Open in the Temporal Web UI' }).getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\//);
      expect(await page.locator('#details script, #details img').count()).toBe(0);
      expect(await page.evaluate('window.__injected')).toBeUndefined();
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-page.png') });

      // An approver follows the signed link from a reminder and approves.
      const link = approvalLinkUrl(harness.url, signApprovalLink(LINK_KEY, { reviewId: id, gate: 'editor', approver: 'alice', expiresAt: Date.now() + 600_000 }));
      await page.goto(link);
      await page.getByText('Your decision on Editor approval, as alice').waitFor();
      expect(await page.locator('.report h1').first().textContent()).toBe('Review report');
      await page.locator('#comment').fill('Reads well; ship it.');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-approval-link.png') });
      await page.getByRole('button', { name: 'Approve', exact: true }).click();

      // The review's page, following the review live: the gate, then the review, turn to completed.
      await page.waitForURL(/\/reviews\/.+\?decided=editor$/);
      await page.locator('.notice', { hasText: 'approved by alice' }).waitFor();
      await waitFor(async () => ((await box('editor').locator('text.state').textContent()) === '✓ succeeded' ? true : undefined), 15_000);
      await waitFor(async () => ((await page.locator('#review-state').getAttribute('data-state')) === 'completed' ? true : undefined), 15_000);
      expect(await box('publish').locator('text.state').textContent()).toBe('✓ succeeded');
      expect(await box('editor').locator('text.detail').textContent()).toBe('1/1 approved · approved');
      expect(await page.locator('#review-state').textContent()).toBe('✓ completed');
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'review-completed.png') });

      // The link is spent.
      await page.goto(link);
      await page.getByText('already decided').waitFor();
      expect(errors).toEqual([]);
      await page.close();
    });
  }, 180_000);
});
