// The live-updates stream of a review that does not exist is a 404 like the review's other addresses, and a
// stream whose review disappears later says so and ends: no poller is left reading a review that is gone.
import { createReviewPageServer, type ReviewPageServer } from '../../src/ui/server';
import { fakeReviews, memoryPino, type FakeReviews } from './fake-reviews';
import { startPageHarness, type PageHarness } from './helpers';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('live updates of a review that is not there', () => {
  let fake: FakeReviews;
  let page: ReviewPageServer;
  let url: string;
  beforeAll(async () => {
    fake = fakeReviews('pr-1');
    page = createReviewPageServer({ reviews: fake.reviews, logger: memoryPino().logger, pollIntervalMs: 20 });
    url = await page.listen(0, '127.0.0.1');
  });
  afterAll(() => page.close());

  const reads = () => fake.calls.filter((call) => call.startsWith('describe')).length;

  test('an unknown review answers 404 and is not polled', async () => {
    const res = await fetch(`${url}/reviews/nope/events`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no review with id');
    const after = reads();
    await pause(200);
    expect(reads()).toBe(after);
  });

  test('a stream whose review is gone later gets a gone event, ends, and stops polling', async () => {
    const res = await fetch(`${url}/reviews/pr-1/events`);
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += decoder.decode(value, { stream: true });
      }
      return false;
    };
    await readUntil(/event: status/);
    fake.existing.delete('pr-1');
    await readUntil(/event: gone/);
    expect(text).toMatch(/event: gone\ndata: \{"message":"no review with id 'pr-1'"\}/);
    expect(await readUntil(/never/)).toBe(true);
    const after = reads();
    await pause(200);
    expect(reads()).toBe(after);
  }, 10_000);
});

describe('every address of an unknown review on Temporal answers 404', () => {
  let harness: PageHarness;
  beforeAll(async () => {
    harness = await startPageHarness({ pollIntervalMs: 50 });
  });
  afterAll(() => harness?.stop());

  test.each(['', '/graph.svg', '/status.json', '/steps/x', '/events'])('/reviews/<unknown>%s', async (rest) => {
    const res = await fetch(`${harness.url}/reviews/no-such-review-${Date.now()}${rest}`);
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });
});
