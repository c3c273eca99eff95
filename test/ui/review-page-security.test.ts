/**
 * The review page against a real review waiting at its gate (dev server, workers in this process):
 * who may decide, from which link, and what a page without a link or token refuses.
 */
import { NativeConnection } from '@temporalio/worker';
import { signApprovalLink } from '../../src/ui/approval-links';
import { devReviews } from '../helpers/dev-review';
import { devServerAddress } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { gatedPipeline, LINK_KEY, OPERATOR_TOKEN, postForm, startPageHarness, type PageHarness } from './helpers';

const linkFor = (reviewId: string, approver: string, gate = 'editor', expiresAt = Date.now() + 600_000) =>
  signApprovalLink(LINK_KEY, { reviewId, gate, approver, expiresAt });

/** The page's text as read: HTML entities back to characters. */
const unescape = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('the review page refuses what it must', () => {
  let harness: PageHarness;
  let native: NativeConnection;
  beforeAll(async () => {
    harness = await startPageHarness();
    native = await NativeConnection.connect({ address: devServerAddress() });
  });
  afterAll(async () => {
    await harness?.stop();
    await native?.close();
  });

  test('links, tokens, the directory and the markdown of step outputs', async () => {
    const reviews = devReviews(harness.client);
    await withReviewWorkers(native, reviews.prefix, recordingActivities().activities, async () => {
      const handle = await reviews.start(gatedPipeline('page-security', { required: 2 }), { subject: 'security' });
      const id = handle.workflowId;
      await waitFor(async () => ((await harness.reviews.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 30_000);
      const page = `${harness.url}/reviews/${encodeURIComponent(id)}`;
      const origin = { origin: harness.url };
      const gateOf = async () => (await harness.reviews.getStatus(id)).steps.find((s) => s.id === 'editor')?.gate;

      // Without a link or token: the page offers no action, and every POST is refused.
      const readOnly = await (await fetch(page)).text();
      expect(readOnly).not.toMatch(/<form method="post"/);
      for (const path of ['/approve', `/reviews/${id}/pause`, `/reviews/${id}/cancel`, `/reviews/${id}/approve`, '/anything']) {
        const res = await postForm(`${harness.url}${path}`, { verdict: 'approve', by: 'alice', step: 'editor' }, origin);
        expect(res.status).toBe(403);
        expect(await res.text()).toMatch(/approval link|operator token|no token/);
      }
      expect((await gateOf())?.approvals).toEqual([]);

      // A tampered link (approver changed under the old signature), an expired one, one for a gate that is not open.
      const good = linkFor(id, 'alice');
      const [body, mac] = good.split('.') as [string, string];
      const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), a: 'bob' })).toString('base64url')}.${mac}`;
      const cases: [string, RegExp][] = [
        [forged, /not signed by this review page/],
        [linkFor(id, 'alice', 'editor', Date.now() - 1000), /expired/],
        [linkFor(id, 'alice', 'publish'), /no gate 'publish'/],
        [linkFor(`${id}-other`, 'alice'), /no review|not found/i],
      ];
      for (const [token, why] of cases) {
        const view = await fetch(`${harness.url}/approve?t=${encodeURIComponent(token)}`);
        expect(view.status).toBeGreaterThanOrEqual(403);
        expect(unescape(await view.text())).toMatch(why);
        const post = await postForm(`${harness.url}/approve`, { t: token, verdict: 'approve' }, origin);
        expect(post.status).toBeGreaterThanOrEqual(403);
      }
      expect((await gateOf())?.approvals).toEqual([]);

      // An approver the directory does not know: the link verifies, the validated update refuses the decision.
      const mallory = await postForm(`${harness.url}/approve`, { t: linkFor(id, 'mallory'), verdict: 'approve' }, origin);
      expect(mallory.status).toBe(403);
      expect(unescape(await mallory.text())).toMatch(/mallory[^<]*(role|approver)/);

      // A link posted from another site is refused before it is even read.
      const crossSite = await postForm(`${harness.url}/approve`, { t: good, verdict: 'approve' }, { origin: 'http://evil.example' });
      expect(crossSite.status).toBe(403);

      // Alice's link works once; the second use is refused, though the gate (quorum 2) is still open.
      const approvalPage = await (await fetch(`${harness.url}/approve?t=${encodeURIComponent(good)}`)).text();
      expect(approvalPage).toContain('Your decision on Editor approval, as alice');
      expect(approvalPage).not.toMatch(/<script>window|<img src=x|href="javascript/);
      const first = await postForm(`${harness.url}/approve`, { t: good, verdict: 'approve', comment: 'fine by me' }, origin);
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe(`/reviews/${encodeURIComponent(id)}?decided=editor`);
      const gate = await gateOf();
      expect(gate?.approvals.map((d) => [d.by, d.comment])).toEqual([['alice', 'fine by me']]);
      const again = await postForm(`${harness.url}/approve`, { t: good, verdict: 'reject' }, origin);
      expect(again.status).toBe(403);
      expect(unescape(await again.text())).toMatch(/already decided/);
      expect((await gateOf())?.rejections).toEqual([]);

      // Operators: a wrong token is refused; the right one as a bearer header pauses and resumes.
      const wrong = await postForm(`${page}/pause`, {}, { authorization: 'Bearer not-the-token' });
      expect(wrong.status).toBe(403);
      const pause = await postForm(`${page}/pause`, {}, { authorization: `Bearer ${OPERATOR_TOKEN}` });
      expect(pause.status).toBe(303);
      await waitFor(async () => ((await harness.reviews.getStatus(id)).paused ? true : undefined));

      // Signed in with the form: an HttpOnly, SameSite=Strict cookie; its forms need the CSRF token.
      const login = await postForm(`${harness.url}/login`, { token: OPERATOR_TOKEN }, origin);
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const session = { cookie: cookie.split(';')[0] as string, ...origin };
      expect((await postForm(`${page}/resume`, {}, session)).status).toBe(403);
      expect((await postForm(`${page}/resume`, {}, { cookie: session.cookie, origin: 'http://evil.example' })).status).toBe(403);
      const operatorPage = await (await fetch(page, { headers: { cookie: session.cookie } })).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(operatorPage)?.[1];
      expect(csrf).toBeDefined();
      expect(operatorPage).toContain('Resume');
      expect((await postForm(`${page}/resume`, { csrf: csrf as string }, session)).status).toBe(303);
      await waitFor(async () => ((await harness.reviews.getStatus(id)).paused ? undefined : true));

      // Markdown from step outputs reaches the page as text; the page forbids inline script besides.
      const details = await fetch(`${page}/steps/report`);
      expect(details.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const fragment = await details.text();
      expect(fragment).toContain('<h1>Review report</h1>');
      expect(fragment).not.toMatch(/<script|<img|href="javascript/i);
      expect(fragment).toContain('&lt;script&gt;');
      const lint = await (await fetch(`${page}/steps/lint`)).text();
      expect(lint).toContain('heading &lt;b&gt;levels&lt;/b&gt;');

      await handle.terminate('test over');
    });
  }, 120_000);
});
