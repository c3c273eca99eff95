// With Temporal unreachable, the page says so within its query timeout (5 s), not after the client's longer retries.
import { Client, Connection } from '@temporalio/client';
import { ReviewClient } from '../../src/client/review-client';
import { createReviewPageServer } from '../../src/ui/server';
import { memoryPino } from './fake-reviews';

jest.setTimeout(30_000);

test('a review read while Temporal is down answers 502 within the query timeout', async () => {
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const reviews = new ReviewClient(new Client({ connection }));
  const page = createReviewPageServer({ reviews, logger: memoryPino().logger });
  const url = await page.listen(0, '127.0.0.1');
  try {
    const started = Date.now();
    const res = await fetch(`${url}/reviews/pr-1/status.json`);
    expect(res.status).toBe(502);
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    // The connection stays open: retries the SDK scheduled against the unreachable server fire after the test,
    // and would throw "Channel has been shut down" into whatever test runs then.
    await page.close();
  }
});
