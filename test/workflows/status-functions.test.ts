/**
 * Status functions in `if:` (success(), failure(), always(), cancelled()): a step that uses one waits for
 * its needs to settle, whatever their outcome, and its condition decides; after a failure or a rejection
 * such steps still run (failure() true) before the review settles; a cancel runs none of them.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { approveUpdate, rejectUpdate, retryUpdate } from '../../workflows/messages';
import type { PipelineInput } from '../../src/definition/schema';
import { closed, noTaskFailures, runGuarded, status, step, untilPhase, untilStep } from './regressions/outcome';
import type { ReviewStatus } from '../../workflows/types';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const states = (s: ReviewStatus | undefined) => Object.fromEntries((s?.steps ?? []).map((x) => [x.id, x.state]));

describe('status functions', () => {
  it('a tolerated failure: failure() and always() steps run, success() ones are skipped, transitively over the needs', async () => {
    const t = reviewTest(env);
    const { end, ran, failures } = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'tolerated',
        steps: [
          { id: 'check', uses: 'fail', onFailure: 'continue', with: { nonRetryable: true } },
          { id: 'plain', uses: 'echo', needs: ['check'] },
          { id: 'tell', uses: 'echo', needs: ['check'], if: '${{ failure() }}' },
          { id: 'good', uses: 'echo', needs: ['check'], if: 'success()' },
          { id: 'cleanup', uses: 'echo', needs: ['plain'], if: 'always()' },
          { id: 'upstream', uses: 'echo', needs: ['plain'], if: "failure() && steps.check.status == 'failed'" },
          { id: 'after-tell', uses: 'echo', needs: ['tell'] },
          { id: 'after-good', uses: 'echo', needs: ['good'] },
        ],
      });
      const end = await closed(handle);
      return { end, ran: t.recorder.events.map((e) => e.step), failures: await noTaskFailures(handle) };
    });
    expect(end.outcome).toBe('completed');
    expect(states(end.status)).toEqual({
      check: 'failed',
      plain: 'skipped',
      tell: 'succeeded',
      good: 'skipped',
      cleanup: 'succeeded',
      upstream: 'succeeded',
      'after-tell': 'succeeded',
      'after-good': 'skipped',
    });
    expect(step(end.status, 'plain')?.skippedReason).toBe('needs check, which failed');
    expect(step(end.status, 'good')?.skippedReason).toBe('condition "success()" was false');
    expect(step(end.status, 'after-good')?.skippedReason).toBe('needs good, which was skipped');
    expect(ran.sort()).toEqual(['after-tell', 'check', 'cleanup', 'tell', 'upstream']);
    expect(failures).toBe(0);
  });

  it('after a failure that fails the review, failure() and always() steps run before it settles; others are cancelled', async () => {
    const t = reviewTest(env);
    const { end, events } = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'failing',
        steps: [
          { id: 'spelling', uses: 'fail', with: { nonRetryable: true } },
          { id: 'links', uses: 'hang', timeout: { heartbeat: '5s' } },
          { id: 'publish', uses: 'echo', needs: ['spelling', 'links'], undo: { uses: 'echo' } },
          { id: 'tell-author', uses: 'echo', needs: ['spelling', 'links'], if: 'failure()', with: { text: "${{ format('spelling {0}, links {1}', steps.spelling.status, steps.links.status) }}" } },
          { id: 'on-success', uses: 'echo', needs: ['spelling', 'links'], if: 'success()' },
          { id: 'go-on', uses: 'echo', needs: ['links'], if: '!failure() && !cancelled()' },
          { id: 'after-tell', uses: 'echo', needs: ['tell-author'] },
          { id: 'last-word', uses: 'echo', needs: ['tell-author'], if: 'always()' },
        ],
        finally: [
          { name: 'failed', uses: 'echo', if: 'failure()' },
          { name: 'succeeded', uses: 'echo', if: 'success()' },
        ],
      });
      return { end: await closed(handle), events: t.recorder.events.map((e) => `${e.kind}:${e.step}`) };
    });
    expect(end.outcome).toBe('failed');
    expect(end.message).toContain('step spelling failed');
    expect(states(end.status)).toEqual({
      spelling: 'failed',
      links: 'cancelled',
      publish: 'skipped',
      'tell-author': 'succeeded',
      'on-success': 'skipped',
      'go-on': 'skipped',
      'after-tell': 'cancelled',
      'last-word': 'succeeded',
    });
    expect(step(end.status, 'tell-author')?.output).toMatchObject({ text: 'spelling failed, links cancelled' });
    expect(step(end.status, 'publish')?.skippedReason).toBe('needs spelling, which failed');
    expect(step(end.status, 'after-tell')?.skippedReason).toMatch(/^review failed: step spelling failed/);
    expect(events.indexOf('step:last-word')).toBeGreaterThan(events.indexOf('step:tell-author'));
    expect(events.indexOf('finally:finally-1')).toBeGreaterThan(events.indexOf('step:last-word'));
    expect(events.filter((e) => e.startsWith('finally'))).toEqual(['finally:finally-1']);
    expect(end.status?.finalActions?.map((a) => a.state)).toEqual(['succeeded', 'skipped']);
  });

  it('a skipped gate: the step after it runs with !failure() && !cancelled(), and so does what needs that step', async () => {
    const pipeline: PipelineInput = {
      name: 'fork-gate',
      steps: [
        { id: 'fork-approval', if: '${{ input.fork }}', gate: { approvers: ['role:maintainer'] } },
        { id: 'checkout', uses: 'echo', needs: ['fork-approval'], if: '${{ !failure() && !cancelled() }}' },
        { id: 'lint', uses: 'echo', needs: ['checkout'] },
      ],
    };
    const t = reviewTest(env);
    const { own, fork, rejected } = await runGuarded(t, async (start) => {
      const own = await closed(await start(pipeline, { input: { fork: false } }));
      const forkHandle = await start(pipeline, { input: { fork: true } });
      await untilStep(forkHandle, 'fork-approval', 'awaiting_approval');
      expect(states(await status(forkHandle))).toMatchObject({ checkout: 'pending', lint: 'pending' });
      await forkHandle.executeUpdate(approveUpdate, { args: [{ by: 'maya', roles: ['maintainer'] }] });
      const fork = await closed(forkHandle);
      const rejectedHandle = await start(pipeline, { input: { fork: true } });
      await untilStep(rejectedHandle, 'fork-approval', 'awaiting_approval');
      await rejectedHandle.executeUpdate(rejectUpdate, { args: [{ by: 'maya', roles: ['maintainer'] }] });
      return { own, fork, rejected: await closed(rejectedHandle) };
    });
    expect(own.outcome).toBe('completed');
    expect(states(own.status)).toEqual({ 'fork-approval': 'skipped', checkout: 'succeeded', lint: 'succeeded' });
    expect(fork.outcome).toBe('completed');
    expect(states(fork.status)).toEqual({ 'fork-approval': 'succeeded', checkout: 'succeeded', lint: 'succeeded' });
    expect(rejected.outcome).toBe('rejected');
    expect(states(rejected.status)).toEqual({ 'fork-approval': 'failed', checkout: 'skipped', lint: 'cancelled' });
    expect(step(rejected.status, 'checkout')?.skippedReason).toBe('condition "${{ !failure() && !cancelled() }}" was false');
  });

  it('a cancelled review runs none of them; cancelled() is for finally actions', async () => {
    const t = reviewTest(env);
    const { end, events } = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'cancelling',
        steps: [
          { id: 'work', uses: 'hang', timeout: { heartbeat: '5s' } },
          { id: 'cleanup', uses: 'echo', needs: ['work'], if: 'always()' },
          { id: 'on-cancel', uses: 'echo', needs: ['work'], if: 'cancelled()' },
        ],
        finally: [
          { name: 'cancelled', uses: 'echo', if: 'cancelled()' },
          { name: 'failed', uses: 'echo', if: 'failure()' },
          { name: 'always', uses: 'echo', if: 'always()' },
        ],
      });
      await untilStep(handle, 'work', 'running');
      await handle.cancel();
      const end = await closed(handle);
      return { end, events: t.recorder.events.map((e) => `${e.kind}:${e.step}`) };
    });
    expect(end.outcome).toBe('cancelled');
    expect(events).toEqual(['step:work', 'finally:finally-1', 'finally:finally-3']);
  });

  it('retries: a step that succeeds on a later attempt is a success; a review retried after a failure re-decides the conditions', async () => {
    const t = reviewTest(env);
    t.recorder.broken.add('tests');
    const { attempts, retried, events } = await runGuarded(t, async (start) => {
      const attempts = await closed(
        await start({
          name: 'attempts',
          steps: [
            { id: 'flaky', uses: 'fail', with: { failTimes: 2 }, retry: { maxAttempts: 3, initialInterval: '1s' } },
            { id: 'on-failure', uses: 'echo', needs: ['flaky'], if: 'failure()' },
            { id: 'on-success', uses: 'echo', needs: ['flaky'], if: 'success()' },
          ],
        }),
      );
      const handle = await start(
        {
          name: 'retried',
          steps: [
            { id: 'tests', uses: 'flaky' },
            { id: 'tell', uses: 'echo', needs: ['tests'], if: 'failure()' },
            { id: 'ship', uses: 'echo', needs: ['tests'] },
          ],
        },
        { options: { retryWindow: '1h' } },
      );
      await untilPhase(handle, 'retry_window');
      expect(states(await status(handle))).toEqual({ tests: 'failed', tell: 'succeeded', ship: 'skipped' });
      t.recorder.broken.delete('tests');
      const accepted = await handle.executeUpdate(retryUpdate, { args: [{}] });
      expect(accepted.rerun).toEqual(['tests', 'tell', 'ship']);
      const retried = await closed(handle);
      return { attempts, retried, events: t.recorder.events.filter((e) => e.step === 'tell').length };
    });
    expect(attempts.outcome).toBe('completed');
    expect(states(attempts.status)).toEqual({ flaky: 'succeeded', 'on-failure': 'skipped', 'on-success': 'succeeded' });
    expect(step(attempts.status, 'flaky')?.attempts).toBe(3);
    expect(retried.outcome).toBe('completed');
    expect(states(retried.status)).toEqual({ tests: 'succeeded', tell: 'skipped', ship: 'succeeded' });
    expect(events).toBe(1);
  });

  it('a cancel ends the steps still running after a failure; the review stays failed', async () => {
    const t = reviewTest(env);
    const { end } = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'stuck-cleanup',
        steps: [
          { id: 'check', uses: 'fail', with: { nonRetryable: true } },
          { id: 'cleanup', uses: 'hang', needs: ['check'], if: 'always()', timeout: { heartbeat: '5s' } },
          { id: 'later', uses: 'echo', needs: ['check'], if: 'always()' },
        ],
        maxParallel: 1,
      });
      await untilStep(handle, 'cleanup', 'running');
      expect((await status(handle)).phase).toBe('settling');
      await handle.cancel();
      return { end: await closed(handle) };
    });
    expect(end.outcome).toBe('failed');
    expect(states(end.status)).toEqual({ check: 'failed', cleanup: 'cancelled', later: 'cancelled' });
  });

  it('pipelines without status functions are untouched: dependents of a failed or cancelled step are skipped', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) =>
      closed(
        await start({
          name: 'plain',
          steps: [
            { id: 'a', uses: 'fail', with: { nonRetryable: true } },
            { id: 'b', uses: 'hang', timeout: { heartbeat: '5s' } },
            { id: 'c', uses: 'echo', needs: ['a'], if: "steps.a.status == 'failed'" },
            { id: 'd', uses: 'echo', needs: ['b'] },
          ],
        }),
      ),
    );
    expect(end.outcome).toBe('failed');
    expect(states(end.status)).toEqual({ a: 'failed', b: 'cancelled', c: 'skipped', d: 'skipped' });
    expect(step(end.status, 'd')?.skippedReason).toBe('needs b, which was cancelled');
  });
});
