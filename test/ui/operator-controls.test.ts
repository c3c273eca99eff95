// The operator's controls on the review page offer what the review would accept: no "Retry" once the
// review's timeout has run out, since the review refuses that retry.
import { reviewPage } from '../../src/ui/pages/review-page';
import type { ReviewStatus } from '../../workflows/types';

const inRetryWindow = (deadlineAt: string | undefined): ReviewStatus => ({
  reviewId: 'pr-7',
  pipeline: 'pr-review',
  priority: 'normal',
  state: 'failed',
  phase: 'retry_window',
  decided: 'failed',
  progress: { done: 1, total: 1, percent: 100 },
  startedAt: '2024-01-01T00:00:00.000Z',
  ...(deadlineAt ? { deadlineAt } : {}),
  steps: [],
  decisions: [],
  transitions: [],
  continuedAsNew: 0,
});

const controls = (status: ReviewStatus) => String(reviewPage({ status, svg: '', path: '/reviews/pr-7', operator: { csrf: 't' } }));

describe('operator controls in the retry window', () => {
  test('offer a retry while the timeout leaves time, or without a timeout', () => {
    expect(controls(inRetryWindow(new Date(Date.now() + 60_000).toISOString()))).toContain('Retry failed steps');
    expect(controls(inRetryWindow(undefined))).toContain('Retry failed steps');
  });

  test('say why there is no retry once the timeout has run out', () => {
    const page = controls(inRetryWindow(new Date(Date.now() - 1_000).toISOString()));
    expect(page).not.toContain('Retry failed steps');
    expect(page).toContain("the review's timeout has run out");
    expect(page).toContain('Cancel');
  });
});
