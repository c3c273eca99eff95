/**
 * Behaviours 1–5 and 7–9 of the review lifecycle: reviews that used to hang or end with the wrong outcome.
 * On the dev server, in real time: these are about the order of messages and step outcomes, which the
 * time-skipping test server does not always deliver as a real server does (updates racing a workflow task).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTest } from '../../helpers/review-harness';
import { Worker } from '@temporalio/worker';
import { devServerTestEnv, workflowBundle } from '../../helpers/environments';
import { waitFor } from '../../helpers/wait';
import { approveUpdate, pauseSignal, rejectUpdate, resumeSignal, retryUpdate } from '../../../workflows/messages';
import { validatePipeline } from '../../../src/definition/validate';
import { closed, noTaskFailures, runGuarded, status, step, untilPhase, untilState, untilStep, withUndo, refusal } from './outcome';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe('reviews that used to hang', () => {
  it('1. cancelling a review whose pipeline has a timeout closes it cancelled', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({ name: 'timed', timeout: '1h', steps: [{ id: 'work', uses: 'hang', timeout: { heartbeat: '5s' } }] });
      await untilStep(handle, 'work', 'running');
      await handle.cancel();
      expect((await closed(handle)).outcome).toBe('cancelled');
      expect(await noTaskFailures(handle)).toBe(0);
    });
  });

  it('2. pausing while the last running step finishes completes the review', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({ name: 'last', steps: [{ id: 'only', uses: 'echo', with: { delayMs: 600 } }] });
      await untilStep(handle, 'only', 'running');
      await handle.signal(pauseSignal, { by: 'ops' });
      const end = await closed(handle);
      expect(end.outcome).toBe('completed');
      expect(end.status?.transitions.map((c) => c.to)).toEqual(['running', 'paused', 'completed']);
      expect(await noTaskFailures(handle)).toBe(0);
    });
  });

  it('3. a rejection recorded while paused ends the review rejected', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({ name: 'gated', steps: [{ id: 'editor', gate: { approvers: ['ed'] } }, { id: 'after', uses: 'echo', needs: ['editor'] }] });
      await untilStep(handle, 'editor', 'awaiting_approval');
      await handle.signal(pauseSignal, { by: 'ops' });
      await untilState(handle, 'paused');
      const gate = await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ed', comment: 'no' }] });
      expect(gate.outcome).toBe('rejected');
      const end = await closed(handle);
      expect(end.outcome).toBe('rejected');
      expect(step(end.status, 'after')?.state).toBe('skipped');
      expect(await noTaskFailures(handle)).toBe(0);
    });
  });

  it('4. cancelling a failed review inside its retry window closes it', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start(
        { name: 'window', defaults: { retry: { maxAttempts: 1 } }, steps: [withUndo('made'), { id: 'boom', uses: 'fail', needs: ['made'] }] },
        { options: { retryWindow: '1h' } },
      );
      await untilState(handle, 'failed');
      await handle.cancel();
      expect((await closed(handle)).outcome).toBe('cancelled');
      expect(t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step)).toEqual(['made']);
      expect(await noTaskFailures(handle)).toBe(0);
    });
  });
});

describe('outcomes that used to be wrong', () => {
  it('5. a failure while the review drains for continue-as-new still fails it, and undo runs', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start(
        {
          name: 'drain-fail',
          defaults: { retry: { maxAttempts: 1 } },
          steps: [withUndo('early'), { id: 'slow', uses: 'echo', needs: ['early'], with: { delayMs: 1500 } }, { id: 'boom', uses: 'fail', needs: ['early'], with: { nonRetryable: true } }],
        },
        { options: { historyLimit: 8 } },
      );
      const end = await closed(handle);
      expect(end.outcome).toBe('failed');
      expect(end.message).toMatch(/boom/);
      expect(t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step)).toEqual(['early']);
    });
  });

  it('5. a rejection while the review drains for continue-as-new still rejects it', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start(
        {
          name: 'drain-reject',
          steps: [withUndo('early'), { id: 'slow', uses: 'echo', needs: ['early'], with: { delayMs: 1500 } }, { id: 'gate', needs: ['early'], gate: { approvers: ['ed'] } }],
        },
        { options: { historyLimit: 8 } },
      );
      await untilStep(handle, 'gate', 'awaiting_approval');
      await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ed' }] });
      const end = await closed(handle);
      expect(end.outcome).toBe('rejected');
      expect(t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step)).toEqual(['early']);
    });
  });

  it('6. a gate settled at its deadline ends at its deadline, also when a new worker replays it', async () => {
    const t = reviewTest(env);
    let handle: Awaited<ReturnType<typeof t.start>> | undefined;
    let deadline = 0;
    await t.run(async () => {
      handle = await t.start({
        name: 'quiet-deadline',
        steps: [
          { id: 'timed', gate: { approvers: ['ed'], deadline: '2s', onTimeout: 'approve' } },
          { id: 'open', gate: { approvers: ['ed'] } },
        ],
      });
      await untilStep(handle, 'timed', 'succeeded');
      deadline = Date.parse(step(await status(handle), 'timed')?.gate?.deadlineAt ?? '');
    });
    // The deadline's workflow task sent no command (the other gate is still open). A new worker replays the
    // history and folds that quiet task into the next one, whose clock is seconds later.
    await new Promise((r) => setTimeout(r, 3_000));
    await runGuarded(t, async () => {
      if (!handle) throw new Error('the review did not start');
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'open', by: 'ed' }] });
      const end = await closed(handle);
      expect(end.outcome).toBe('completed');
      const timed = step(end.status, 'timed');
      expect(timed?.gate).toMatchObject({ outcome: 'approved', decidedBy: 'deadline' });
      expect(Date.parse(timed?.endedAt ?? '')).toBe(deadline);
    });
  });

  it('6. a rejection the review acknowledged stands when a step failure reaches it in the same workflow task', async () => {
    const t = reviewTest(env);
    const { activities, events } = t.recorder;
    const workflowWorker = () => Worker.create({ connection: env.nativeConnection, taskQueue: `${t.prefix}-normal`, workflowBundle: workflowBundle() });
    const first = await workflowWorker();
    const handle = await first.runUntil(async () => {
      const h = await t.start({
        name: 'tie',
        steps: [
          { id: 'gate', gate: { approvers: ['ed'] } },
          { id: 'boom', uses: 'fail', priority: 'low', with: { nonRetryable: true } },
        ],
      });
      await untilStep(h, 'gate', 'awaiting_approval');
      return h;
    });
    // With no workflow worker, the step fails on its own worker and the rejection waits: both reach the
    // next workflow worker in one workflow task.
    const stepWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: `${t.prefix}-low`, activities });
    await stepWorker.runUntil(() => waitFor(async () => (events.some((e) => e.step === 'boom' && e.outcome === 'failed') ? true : undefined)));
    const rejection = refusal(handle.executeUpdate(rejectUpdate, { args: [{ step: 'gate', by: 'ed' }] }));
    await new Promise((r) => setTimeout(r, 500));
    const second = await workflowWorker();
    const end = await second.runUntil(async () => {
      const answer = await rejection;
      return { answer, end: await closed(handle) };
    });
    if (end.answer === 'accepted') expect(end.end.outcome).toBe('rejected');
    else expect(end.end.outcome).toBe('failed');
    expect(end.answer).toBe('accepted');
  });

  it('7. retry from X re-runs X, everything downstream of it whatever the declaration order, and every step that did not succeed', async () => {
    const t = reviewTest(env);
    t.recorder.broken.add('d');
    const end = await runGuarded(t, async (start) => {
      const handle = await start(
        {
          name: 'order',
          steps: [
            { id: 'd', uses: 'flaky', needs: ['c'] },
            { id: 'c', uses: 'echo', needs: ['b'] },
            { id: 'b', uses: 'echo', needs: ['a'] },
            { id: 'a', uses: 'echo' },
            { id: 'e', uses: 'echo', needs: ['a'], with: { delayMs: 4000 } },
          ],
        },
        { options: { retryWindow: '1h' } },
      );
      await untilPhase(handle, 'retry_window');
      expect(step(await status(handle), 'e')).toMatchObject({ state: 'cancelled' });
      t.recorder.broken.delete('d');
      const accepted = await handle.executeUpdate(retryUpdate, { args: [{ from: 'b' }] });
      expect(accepted.rerun).toEqual(['d', 'c', 'b', 'e']);
      return closed(handle);
    });
    expect(end.outcome).toBe('completed');
    expect(end.status?.steps.every((s) => s.state === 'succeeded')).toBe(true);
    const runs = (id: string) => t.recorder.events.filter((e) => e.step === id && e.kind === 'step').length;
    expect({ a: runs('a'), b: runs('b'), c: runs('c'), d: runs('d'), e: runs('e') }).toEqual({ a: 1, b: 2, c: 2, d: 2, e: 2 });
  });

  it('8. retry is refused while the review runs and while it compensates', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const running = await start({ name: 'busy', steps: [{ id: 'work', uses: 'echo', with: { delayMs: 800 } }] });
      await untilStep(running, 'work', 'running');
      expect(await refusal(running.executeUpdate(retryUpdate, { args: [{}] }))).toMatch(/only a failed review waiting for a retry can be retried; this one is running/);
      const compensating = await start(
        {
          name: 'undoing',
          defaults: { retry: { maxAttempts: 1 } },
          steps: [{ id: 'made', uses: 'echo', undo: { uses: 'echo', with: { delayMs: 2500 } } }, { id: 'boom', uses: 'fail', needs: ['made'] }],
        },
        { options: { retryWindow: '2s' } },
      );
      await untilPhase(compensating, 'retry_window');
      await waitFor(async () => (t.recorder.events.some((e) => e.kind === 'undo') ? true : undefined));
      expect(await refusal(compensating.executeUpdate(retryUpdate, { args: [{}] }))).toMatch(/can be retried; this one is compensating \(failed\)/);
      expect((await closed(compensating)).outcome).toBe('failed');
      expect((await closed(running)).outcome).toBe('completed');
    });
  });

  it('9. resuming a review that failed while paused keeps it failed and retryable', async () => {
    const t = reviewTest(env);
    t.recorder.broken.add('late');
    await runGuarded(t, async (start) => {
      const handle = await start(
        { name: 'paused-fail', steps: [{ id: 'slow', uses: 'echo', with: { delayMs: 700 } }, { id: 'late', uses: 'flaky', needs: ['slow'] }, { id: 'slow2', uses: 'echo', with: { delayMs: 1500 } }] },
        { options: { retryWindow: '1h' } },
      );
      await untilStep(handle, 'slow', 'running');
      await handle.signal(pauseSignal, { by: 'ops' });
      await untilStep(handle, 'slow', 'succeeded');
      await handle.signal(resumeSignal, { by: 'ops' });
      await untilPhase(handle, 'retry_window');
      await handle.signal(pauseSignal, { by: 'ops' });
      await handle.signal(resumeSignal, { by: 'ops' });
      const s = await status(handle);
      expect({ state: s.state, phase: s.phase }).toEqual({ state: 'failed', phase: 'retry_window' });
      t.recorder.broken.delete('late');
      await handle.executeUpdate(retryUpdate, { args: [{}] });
      expect((await closed(handle)).outcome).toBe('completed');
    });
  });

});
