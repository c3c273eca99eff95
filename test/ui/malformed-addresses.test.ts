// An address whose review or step id is not valid percent-encoding is the visitor's mistake, not Temporal's:
// 400 naming the bad part, with no call to Temporal and no warning in the log.
import { createReviewPageServer, type ReviewPageServer } from '../../src/ui/server';
import { fakeReviews, memoryPino, type FakeReviews } from './fake-reviews';

describe('malformed review and step ids in the address', () => {
  let fake: FakeReviews;
  let log: ReturnType<typeof memoryPino>;
  let page: ReviewPageServer;
  let url: string;
  beforeAll(async () => {
    fake = fakeReviews('pr-1');
    log = memoryPino();
    page = createReviewPageServer({ reviews: fake.reviews, logger: log.logger });
    url = await page.listen(0, '127.0.0.1');
  });
  afterAll(() => page.close());

  test.each([
    ['GET', '/reviews/%E0%A4%A', 'review id'],
    ['GET', '/reviews/%', 'review id'],
    ['GET', '/reviews/%/graph.svg', 'review id'],
    ['GET', '/reviews/%ZZ/events', 'review id'],
    ['GET', '/reviews/pr-1/steps/%ZZ', 'step id'],
    ['POST', '/reviews/%C0/pause', 'review id'],
  ])('%s %s answers 400 naming the %s', async (method, path, what) => {
    fake.calls.length = 0;
    log.lines.length = 0;
    const res = await fetch(`${url}${path}`, { method, headers: { origin: url } });
    const body = (await res.text()).replace(/&#39;/g, "'");
    expect(res.status).toBe(400);
    expect(body).toContain(`the ${what} in this address`);
    expect(body).toContain('is not valid percent-encoding');
    expect(body).not.toMatch(/Temporal|URI malformed/);
    expect(fake.calls).toEqual([]);
    expect(log.lines.filter((line) => (line.level as number) >= 40)).toEqual([]);
  });

  test('a well-encoded id still reaches Temporal', async () => {
    fake.calls.length = 0;
    expect((await fetch(`${url}/reviews/pr%2D1/status.json`)).status).toBe(200);
    expect(fake.calls).toContain('describe pr-1');
  });
});
