// A gate skipped by its `if:` or cancelled before anyone decided reads as why it ended, not "0/1
// approvals", in `review status`, on the review page and in the Web UI's details.
import { renderStatus } from '../../src/cli/render/status';
import { undecidedGateReason } from '../../src/definition/status-notes';
import { stepDetail } from '../../src/ui/step-view';
import { renderDetails } from '../../workflows/details';
import type { ReviewRun } from '../../workflows/review-run';
import type { Decision, GateStatus, ReviewStatus, StepStatus } from '../../workflows/types';

const decision: Decision = { step: 'approval', verdict: 'approve', by: 'bob', at: '2024-01-01T00:00:05.000Z' };

const gate = (state: StepStatus['state'], patch: Partial<StepStatus> = {}, approvals: Decision[] = []): StepStatus => ({
  id: 'approval',
  kind: 'gate',
  needs: [],
  priority: 'normal',
  state,
  attempts: 0,
  gate: { approvers: ['maintainer'], required: 1, approvals, rejections: [], remindersSent: 0, escalated: false } satisfies GateStatus,
  ...patch,
});

const skipped = gate('skipped', { skippedReason: 'condition "${{ input.fork }}" was false' });
const cancelled = gate('cancelled', { error: 'cancelled' });
const approved = gate('succeeded', {}, [decision]);

describe('notes of gates that ended undecided', () => {
  test('the reason is the note of a skipped or cancelled gate nobody decided on, and only of those', () => {
    expect(undecidedGateReason(skipped)).toBe('condition "${{ input.fork }}" was false');
    expect(undecidedGateReason(cancelled)).toBe('cancelled');
    expect(undecidedGateReason(approved)).toBeUndefined();
    expect(undecidedGateReason(gate('cancelled', { error: 'review rejected' }, [decision]))).toBeUndefined();
    expect(undecidedGateReason(gate('awaiting_approval'))).toBeUndefined();
  });

  test('review status', () => {
    const status: ReviewStatus = {
      reviewId: 'pr-7',
      pipeline: 'pr-review',
      priority: 'normal',
      state: 'completed',
      progress: { done: 1, total: 1, percent: 100 },
      startedAt: '2024-01-01T00:00:00.000Z',
      endedAt: '2024-01-01T00:00:10.000Z',
      steps: [skipped],
      decisions: [],
      transitions: [],
      continuedAsNew: 0,
    };
    const text = renderStatus(status);
    expect(text).toContain('condition "${{ input.fork }}" was false');
    expect(text).not.toContain('0/1 approvals');
    expect(renderStatus({ ...status, steps: [approved] })).toContain('1/1 approvals: bob');
  });

  test('the review page', () => {
    expect(stepDetail(skipped)).toMatch(/^skipped: condition/);
    expect(stepDetail(cancelled)).toBe('cancelled');
    expect(stepDetail(approved)).toBe('1/1 approved');
  });

  test("the Web UI's details", () => {
    const steps = [skipped, approved];
    const run = {
      pipeline: { name: 'pr-review' },
      state: 'completed',
      lifecycle: {},
      input: {},
      gates: new Map([['approval', { status: () => approved.gate }]]),
      held: {},
      book: { doneCount: 2, size: 2, all: () => steps },
    } as unknown as ReviewRun;
    const rows = renderDetails(run).split('\n').filter((line) => line.startsWith('| `approval`'));
    expect(rows[0]).toContain('condition "${{ input.fork }}" was false');
    expect(rows[0]).not.toContain('approvals');
    expect(rows[1]).toContain('1/1 approvals');
  });
});
