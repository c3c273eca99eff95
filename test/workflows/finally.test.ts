/** `finally` actions: run once the review has closed, whatever its outcome, with `review.outcome` to read. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { rejectUpdate } from '../../workflows/messages';
import { validatePipeline } from '../../src/definition/validate';
import { closed, runGuarded, untilStep } from './regressions/outcome';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const FINALLY = [
  { name: 'report', uses: 'echo', with: { outcome: '${{ review.outcome }}', reason: '${{ review.reason }}', checked: '${{ steps.check.status }}' } },
  { name: 'alert', uses: 'echo', if: "review.outcome != 'completed'", with: { alert: "${{ format('{0} ended {1}', review.pipeline, review.outcome) }}" } },
];

async function finalRuns(pipeline: Record<string, unknown>, act?: (handle: Awaited<ReturnType<ReturnType<typeof reviewTest>['start']>>) => Promise<void>) {
  const t = reviewTest(env);
  return runGuarded(t, async (start) => {
    const handle = await start({ name: 'with-finally', finally: FINALLY, ...pipeline } as never);
    if (act) await act(handle);
    const end = await closed(handle);
    const ran = t.recorder.events.filter((e) => e.kind === 'finally').map((e) => ({ step: e.step, input: e.input }));
    const undoneBeforeFinally = t.recorder.events.findIndex((e) => e.kind === 'undo') < t.recorder.events.findIndex((e) => e.kind === 'finally');
    return { end, ran, undoneBeforeFinally };
  });
}

describe('finally actions', () => {
  it('run after a completed review, skipping what its condition excludes', async () => {
    const { end, ran } = await finalRuns({ steps: [{ id: 'check', uses: 'echo' }] });
    expect(end.outcome).toBe('completed');
    expect(ran).toEqual([{ step: 'finally-1', input: { outcome: 'completed', reason: null, checked: 'succeeded' } }]);
    expect(end.status?.finalActions).toEqual([
      { name: 'report', uses: 'echo', state: 'succeeded', summary: 'echo ok' },
      { name: 'alert', uses: 'echo', state: 'skipped' },
    ]);
  });

  it('run after a failed review, once its undo has run', async () => {
    const { end, ran, undoneBeforeFinally } = await finalRuns({
      steps: [
        { id: 'check', uses: 'echo', undo: { uses: 'echo' } },
        { id: 'boom', uses: 'fail', needs: ['check'], with: { nonRetryable: true } },
      ],
    });
    expect(end.outcome).toBe('failed');
    expect(undoneBeforeFinally).toBe(true);
    expect(ran.map((r) => r.input?.outcome ?? r.input?.alert)).toEqual(['failed', 'with-finally ended failed']);
    expect(String(ran[0]?.input?.reason)).toContain('step boom failed');
  });

  it('run after a rejected and after a cancelled review', async () => {
    const gate = { steps: [{ id: 'check', uses: 'echo' }, { id: 'ok', needs: ['check'], gate: { approvers: ['ed'] } }] };
    const rejected = await finalRuns(gate, async (h) => {
      await untilStep(h, 'ok', 'awaiting_approval');
      await h.executeUpdate(rejectUpdate, { args: [{ by: 'ed' }] });
    });
    expect(rejected.end.outcome).toBe('rejected');
    expect(rejected.ran.map((r) => r.input?.outcome ?? r.input?.alert)).toEqual(['rejected', 'with-finally ended rejected']);
    const cancelled = await finalRuns(gate, async (h) => {
      await untilStep(h, 'ok', 'awaiting_approval');
      await h.cancel();
    });
    expect(cancelled.end.outcome).toBe('cancelled');
    expect(cancelled.ran.map((r) => r.input?.outcome ?? r.input?.alert)).toEqual(['cancelled', 'with-finally ended cancelled']);
  });

  it('note an action whose condition cannot be evaluated as failed, and run the rest, the outcome unchanged', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'not-json',
        steps: [{ id: 'check', uses: 'echo' }],
        finally: [
          { name: 'parse', uses: 'echo', if: 'fromJSON(review.pipeline) == 1' },
          { name: 'report', uses: 'echo', with: { outcome: '${{ review.outcome }}' } },
        ],
      });
      return closed(handle);
    });
    expect(end.outcome).toBe('completed');
    expect(end.status?.finalActions).toEqual([
      { name: 'parse', uses: 'echo', state: 'failed', error: expect.stringContaining('"not-json" is not JSON') },
      { name: 'report', uses: 'echo', state: 'succeeded', summary: 'echo ok' },
    ]);
    expect((end.status?.notices ?? []).some((n) => n.startsWith('finally parse: condition "fromJSON(review.pipeline) == 1" could not be evaluated'))).toBe(true);
    expect(t.recorder.events.filter((e) => e.kind === 'finally').map((e) => e.input)).toEqual([{ outcome: 'completed' }]);
  });

  it('validation: review is read only in finally, with its fields known', () => {
    const checked = validatePipeline({
      name: 'x',
      steps: [{ id: 'a', uses: 'echo', with: { o: '${{ review.outcome }}' } }],
      finally: [{ uses: 'echo', if: "review.outcom == 'failed'", with: { s: '${{ steps.nope.status }}' } }],
    });
    expect(checked.ok ? [] : checked.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "steps[0].with.o: review.outcome: the review's outcome is known only in finally actions",
      'finally[0].with.s: steps.nope.status refers to an unknown step \'nope\'',
      "finally[0].if: review.outcom: review has no 'outcom'",
    ]);
  });
});
