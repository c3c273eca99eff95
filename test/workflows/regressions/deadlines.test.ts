/** Behaviours 6, 10 and 11 of the review lifecycle, in the time-skipping environment: deadlines, timeouts and retry backoff. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTest, reviewTestEnv } from '../../helpers/review-harness';
import { approveUpdate, pauseSignal, rejectUpdate, resumeSignal, retryUpdate } from '../../../workflows/messages';
import { validatePipeline } from '../../../src/definition/validate';
import type { ReviewStatus } from '../../../workflows/types';
import { closed, runGuarded, status, step, untilContinuedAsNew, untilPhase, untilStep, refusal } from './outcome';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('deadlines and retries', () => {
  it('6. an acknowledged approval stands after the deadline, and later decisions are refused', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'ack',
        steps: [
          { id: 'gate', gate: { approvers: ['ed', 'al'], deadline: '1h', onTimeout: 'reject' } },
          { id: 'after', needs: ['gate'], gate: { approvers: ['ed'] } },
        ],
      });
      await untilStep(handle, 'gate', 'awaiting_approval');
      const ack = await handle.executeUpdate(approveUpdate, { args: [{ by: 'ed' }] });
      expect(ack.outcome).toBe('approved');
      await env.sleep('2h');
      expect(await refusal(handle.executeUpdate(rejectUpdate, { args: [{ step: 'gate', by: 'al' }] }))).toMatch(/gate gate is already decided \(approved\) by its approvers; decisions are no longer accepted/);
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'after', by: 'ed' }] });
      const end = await closed(handle);
      expect(end.outcome).toBe('completed');
      expect(step(end.status, 'gate')?.gate).toMatchObject({ outcome: 'approved', decidedBy: 'approvers' });
    });
  });

  it('6. a gate settled at its deadline refuses decisions, saying why', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'late',
        steps: [
          { id: 'first', gate: { approvers: ['ed'], deadline: '1h', onTimeout: 'approve' } },
          { id: 'second', needs: ['first'], gate: { approvers: ['ed'] } },
        ],
      });
      await untilStep(handle, 'first', 'awaiting_approval');
      await env.sleep('61m');
      await untilStep(handle, 'second', 'awaiting_approval');
      expect(await refusal(handle.executeUpdate(rejectUpdate, { args: [{ step: 'first', by: 'ed' }] }))).toMatch(/gate first is already decided \(approved\) at its deadline by the onTimeout policy \(approve\)/);
      expect(step(await status(handle), 'first')?.gate).toMatchObject({ outcome: 'approved', decidedBy: 'deadline' });
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'second', by: 'ed' }] });
      expect((await closed(handle)).outcome).toBe('completed');
    });
  });

  it('10. a step with only retry.initialInterval: 2m runs, and validation agrees', async () => {
    const pipeline = { name: 'slow-retry', steps: [{ id: 'once', uses: 'fail', with: { failTimes: 1 }, retry: { initialInterval: '2m' } }] };
    expect(validatePipeline(pipeline).ok).toBe(true);
    const conflicting = { name: 'conflict', defaults: { retry: { maxInterval: '1m' } }, steps: [{ id: 'x', uses: 'echo', retry: { initialInterval: '2m' } }] };
    const checked = validatePipeline(conflicting);
    expect(checked.ok ? [] : checked.issues.map((i) => i.message)).toEqual(['maxInterval 1m (from defaults.retry) is shorter than initialInterval 2m']);
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start(pipeline);
      const end = await closed(handle);
      expect(end.outcome).toBe('completed');
      expect(step(end.status, 'once')?.attempts).toBe(2);
    });
  });
});

const MINUTE = 60_000;
const failedAt = (s: ReviewStatus | undefined) => Date.parse(s?.transitions.find((c) => c.to === 'failed')?.at ?? '');

describe('the review timeout (11)', () => {
  it('is enforced across continue-as-new with paused time excluded', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start(
        { name: 'timed', timeout: '1h', steps: [{ id: 'a', uses: 'echo' }, { id: 'gate', needs: ['a'], gate: { approvers: ['ed'] } }] },
        { options: { historyLimit: 12 } },
      );
      await untilContinuedAsNew(handle);
      await untilStep(handle, 'gate', 'awaiting_approval');
      await env.sleep('10m');
      await handle.signal(pauseSignal, { by: 'ops' });
      await env.sleep('30m');
      await handle.signal(resumeSignal, { by: 'ops' });
      for (let i = 0; i < 4; i++) await handle.signal(pauseSignal, { by: 'ops' }).then(() => handle.signal(resumeSignal, { by: 'ops' }));
      return closed(handle);
    });
    expect(end.outcome).toBe('failed');
    expect(end.message).toMatch(/timed out after 1h/);
    expect(end.status?.continuedAsNew).toBeGreaterThanOrEqual(1);
    const expected = Date.parse(end.status?.startedAt ?? '') + 90 * MINUTE;
    expect(Math.abs(failedAt(end.status) - expected)).toBeLessThan(5_000);
  });

  it('is enforced after a retry, with the time waiting for the retry excluded', async () => {
    const t = reviewTest(env);
    t.recorder.broken.add('check');
    const end = await runGuarded(t, async (start) => {
      const handle = await start(
        { name: 'retried', timeout: '1h', steps: [{ id: 'check', uses: 'flaky' }, { id: 'gate', needs: ['check'], gate: { approvers: ['ed'] } }] },
        { options: { retryWindow: '5h' } },
      );
      await untilPhase(handle, 'retry_window');
      await env.sleep('2h');
      t.recorder.broken.delete('check');
      await handle.executeUpdate(retryUpdate, { args: [{}] });
      return closed(handle);
    });
    expect(end.outcome).toBe('failed');
    expect(end.message).toMatch(/timed out after 1h/);
    const retriedAt = Date.parse(end.status?.transitions.find((c) => c.from === 'failed' && c.to !== 'failed')?.at ?? '');
    const timedOutAt = Date.parse(end.status?.transitions.filter((c) => c.to === 'failed').pop()?.at ?? '');
    const firstFailure = failedAt(end.status);
    const activeBefore = firstFailure - Date.parse(end.status?.startedAt ?? '');
    expect(Math.abs(timedOutAt - retriedAt - (60 * MINUTE - activeBefore))).toBeLessThan(5_000);
  });
});

describe('start options that slipped past the client', () => {
  it('a retry window that is not a duration closes the failed review instead of failing workflow tasks', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) =>
      closed(await start({ name: 'odd-window', defaults: { retry: { maxAttempts: 1 } }, steps: [{ id: 'boom', uses: 'fail' }] }, { options: { retryWindow: 'soon' } })),
    );
    expect(end.outcome).toBe('failed');
    expect(end.status?.notices).toEqual(['options.retryWindow "soon" is not a duration; the review closes without a retry window']);
  });
});
