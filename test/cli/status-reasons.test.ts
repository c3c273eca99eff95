// `review status` says why a review ended the way it did, and what a failed review in its retry window
// accepts: a retry (with the command), or none once its timeout has run out.
import { renderStatus } from '../../src/cli/render/status';
import type { ReviewStatus, StateChange } from '../../workflows/types';

const NOW = Date.parse('2024-01-01T01:00:00.000Z');

const review = (patch: Partial<ReviewStatus>, transitions: StateChange[] = []): ReviewStatus => ({
  reviewId: 'pr:acme/widgets#42',
  pipeline: 'pr-review',
  priority: 'normal',
  state: 'failed',
  phase: 'closed',
  progress: { done: 1, total: 1, percent: 100 },
  startedAt: '2024-01-01T00:00:00.000Z',
  steps: [],
  decisions: [],
  transitions: [{ from: 'pending', to: 'running', at: '2024-01-01T00:00:00.000Z', reason: 'started' }, ...transitions],
  continuedAsNew: 0,
  ...patch,
});

const failedBy = (reason: string): StateChange[] => [{ from: 'running', to: 'failed', at: '2024-01-01T00:30:00.000Z', reason }];

describe('review status: why and what next', () => {
  test('the reason of the outcome, even when no step failed (a review timeout)', () => {
    const text = renderStatus(review({}, failedBy('review timed out after 30m (paused time excluded)')), { now: NOW });
    expect(text).toContain('why: review timed out after 30m (paused time excluded)');
  });

  test("the last step error when the outcome's change has no reason", () => {
    const text = renderStatus(review({ lastError: 'tests: exit 1' }, [{ from: 'running', to: 'failed', at: '2024-01-01T00:30:00.000Z' }]), { now: NOW });
    expect(text).toContain('error: tests: exit 1');
    expect(text).not.toContain('why:');
  });

  test('a retry window with time left names the command, quoted for the shell', () => {
    const text = renderStatus(review({ phase: 'retry_window', deadlineAt: '2024-01-01T01:10:00.000Z' }, failedBy('step tests failed: exit 1')), { now: NOW });
    expect(text).toContain("waiting for a retry: review retry 'pr:acme/widgets#42'");
  });

  test('a retry window whose timeout has run out says a retry is refused', () => {
    const text = renderStatus(review({ phase: 'retry_window', deadlineAt: '2024-01-01T00:30:00.000Z' }, failedBy('review timed out after 30m')), { now: NOW });
    expect(text).toContain("no retry: the review's timeout has run out");
    expect(text).not.toContain('review retry');
  });

  test('a pause in the retry window, what undo did, failed finally actions and notices', () => {
    const text = renderStatus(
      review({
        phase: 'retry_window',
        paused: true,
        deadlineAt: '2024-01-01T01:10:00.000Z',
        steps: [
          {
            id: 'deploy',
            uses: 'http',
            kind: 'task',
            needs: [],
            priority: 'normal',
            state: 'succeeded',
            attempts: 1,
            undo: { state: 'succeeded', at: '2024-01-01T00:40:00.000Z' },
          },
        ],
        finalActions: [{ name: 'Final status', uses: 'github', state: 'failed', error: 'HTTP 401' }],
        notices: ['options.retryWindow "forever" is not a duration; ignored'],
      }),
      { now: NOW },
    );
    expect(text).toContain("paused: no step starts until review resume 'pr:acme/widgets#42'");
    expect(text).toMatch(/deploy .*undo succeeded/);
    expect(text).toContain('finally:\n  Final status (github) failed: HTTP 401');
    expect(text).toContain('notices:\n  options.retryWindow "forever" is not a duration; ignored');
  });

  test('a rejected gate reads rejected, in the table and in the drawing', () => {
    const decision = { step: 'approval', by: 'alice', verdict: 'reject' as const, at: '2024-01-01T00:10:00.000Z' };
    const text = renderStatus(
      review({
        state: 'rejected',
        steps: [
          {
            id: 'approval',
            kind: 'gate',
            needs: [],
            priority: 'normal',
            state: 'failed',
            attempts: 0,
            gate: { approvers: ['alice'], required: 1, approvals: [], rejections: [decision], outcome: 'rejected', remindersSent: 0, escalated: false },
          },
        ],
      } as Partial<ReviewStatus>),
      { now: NOW },
    );
    expect(text).toMatch(/approval +rejected/);
    expect(text).not.toMatch(/approval +failed/);
  });
});
