// A POST from an origin the page does not accept is refused with what allows it: REVIEW_UI_BASE_URL set to
// the address people open the page at (unset, only the listen address's origin is accepted).
import { startReviewPage, type RunningReviewPage } from '../../src/ui/main';
import { freePort } from '../helpers/global-setup';

const unescape = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"');

describe('requests from another origin', () => {
  let running: RunningReviewPage | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  const post = (url: string, origin: string) =>
    fetch(`${url}/reviews/pr-1/pause`, { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });

  test('without REVIEW_UI_BASE_URL, localhost is not the listen address: the refusal says to set it', async () => {
    const port = await freePort();
    running = await startReviewPage({ env: { REVIEW_UI_ADDRESS: `127.0.0.1:${port}` } });
    const res = await post(running.url, `http://localhost:${port}`);
    expect(res.status).toBe(403);
    const body = unescape(await res.text());
    expect(body).toContain(`a request from http://localhost:${port} may not change anything here (only pages at http://127.0.0.1:${port} may)`);
    expect(body).toContain(`if people open it at http://localhost:${port}, set REVIEW_UI_BASE_URL`);
  });

  test('with REVIEW_UI_BASE_URL at that address, the same request passes the origin check', async () => {
    const port = await freePort();
    running = await startReviewPage({ env: { REVIEW_UI_ADDRESS: `127.0.0.1:${port}`, REVIEW_UI_BASE_URL: `http://localhost:${port}` } });
    const body = unescape(await (await post(running.url, `http://localhost:${port}`)).text());
    expect(body).not.toContain('may not change anything here');
    expect(body).toContain('this review page is read-only');
  });
});
