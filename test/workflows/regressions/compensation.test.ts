/**
 * Behaviours 12–17 of the review lifecycle and the suspected gaps around them: compensation, size,
 * validation inside the workflow, messages that cannot be honoured. On the dev server, in real time.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewTest } from '../../helpers/review-harness';
import { devServerTestEnv } from '../../helpers/environments';
import { waitFor } from '../../helpers/wait';
import { approveSignal, approveUpdate, pauseSignal, resumeSignal } from '../../../workflows/messages';
import { validatePipeline } from '../../../src/definition/validate';
import { closed, noTaskFailures, runGuarded, status, step, untilStep, withUndo } from './outcome';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const undos = (t: ReturnType<typeof reviewTest>) => t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step);

describe('compensation', () => {
  it('12. runs every undo newest first, and a cancel during compensation does not cut it short', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'undo-all',
        defaults: { retry: { maxAttempts: 1 } },
        steps: [
          { id: 'a', uses: 'echo', undo: { uses: 'echo', with: { delayMs: 1500 } } },
          withUndo('b', { needs: ['a'] }),
          { id: 'c', uses: 'fail', needs: ['b'] },
        ],
      });
      await waitFor(async () => (undos(t).length > 0 ? true : undefined));
      await handle.cancel();
      return closed(handle);
    });
    expect(end.outcome).toBe('failed');
    expect(undos(t)).toEqual(['b', 'a']);
    expect(t.recorder.events.filter((e) => e.kind === 'undo').every((e) => e.outcome === 'ok')).toBe(true);
    expect(end.status?.steps.filter((s) => s.undo).map((s) => [s.id, s.undo?.state])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ]);
  });

  it('13. compensates a step whose work finished although the review was cancelled while it ran', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({ name: 'finished-anyway', steps: [withUndo('deploy', { with: { delayMs: 1500 } })] });
      await untilStep(handle, 'deploy', 'running');
      await handle.cancel();
      return closed(handle);
    });
    expect(end.outcome).toBe('cancelled');
    expect(t.recorder.events.find((e) => e.kind === 'step')?.outcome).toBe('ok');
    expect(undos(t)).toEqual(['deploy']);
  });

  it('14. a rejected review runs the undo of the steps that succeeded', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({ name: 'rejected', steps: [withUndo('staging'), { id: 'ok', needs: ['staging'], gate: { approvers: ['ed'] } }] });
      await untilStep(handle, 'ok', 'awaiting_approval');
      await handle.signal('reject', { by: 'ed', comment: 'not this one' });
      return closed(handle);
    });
    expect(end.outcome).toBe('rejected');
    expect(step(end.status, 'staging')?.undo?.state).toBe('succeeded');
    expect(undos(t)).toEqual(['staging']);
  });

  it('a failing undo is recorded with its error, and the older undos still run', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'undo-fails',
        defaults: { retry: { maxAttempts: 1 } },
        steps: [
          withUndo('a'),
          { id: 'b', uses: 'echo', needs: ['a'], undo: { uses: 'fail', with: { nonRetryable: true }, retry: { maxAttempts: 1 } } },
          { id: 'c', uses: 'fail', needs: ['b'] },
        ],
      });
      return closed(handle);
    });
    expect(end.outcome).toBe('failed');
    expect(step(end.status, 'b')?.undo).toMatchObject({ state: 'failed', error: expect.stringContaining('broken on attempt 1') });
    expect(step(end.status, 'a')?.undo?.state).toBe('succeeded');
    expect(undos(t)).toEqual(['b', 'a']);
    expect((end.status?.notices ?? []).some((n) => /undo of b failed: .*broken on attempt 1/.test(n))).toBe(true);
  });
});

describe('size', () => {
  it('15. a review of 12 steps that each return 200 kB completes and can be queried', async () => {
    const t = reviewTest(env);
    const steps = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, uses: 'big', with: { bytes: 200_000 } }));
    const { end, queried } = await runGuarded(t, async (start) => {
      const handle = await start({ name: 'big-outputs', steps: [...steps, { id: 'report', uses: 'echo', needs: ['s0'], with: { passed: '${{ steps.s0.output.passed }}' } }] });
      const end = await closed(handle);
      return { end, queried: await status(handle) };
    });
    expect(end.outcome).toBe('completed');
    const size = JSON.stringify(end.status).length;
    expect(size).toBeLessThan(1_000_000);
    expect(JSON.stringify(queried).length).toBeLessThan(1_000_000);
    expect(step(end.status, 's3')?.output).toMatchObject({ passed: true, blob: expect.stringMatching(/characters cut/) });
    expect(step(end.status, 'report')?.output).toMatchObject({ passed: true });
  });
});

describe('validation inside the workflow (17)', () => {
  it('runs a definition that only a stricter validator would refuse', async () => {
    const definition = {
      name: 'lenient',
      steps: [
        { id: 'a', uses: 'echo', with: { later: '${{ steps.b.status }}' } },
        { id: 'b', uses: 'echo', needs: ['a'] },
      ],
    };
    expect(validatePipeline(definition).ok).toBe(false);
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => closed(await start(definition)));
    expect(end.outcome).toBe('completed');
  });
});

describe('messages that cannot be honoured', () => {
  it('refuses a decision for a gate that has not opened, and notes an ignored signal in the status', async () => {
    const t = reviewTest(env);
    await runGuarded(t, async (start) => {
      const handle = await start({
        name: 'early',
        steps: [{ id: 'build', uses: 'echo', with: { delayMs: 1500 } }, { id: 'gate', needs: ['build'], gate: { approvers: ['ed'] } }],
      });
      await untilStep(handle, 'build', 'running');
      const refused = await handle.executeUpdate(approveUpdate, { args: [{ step: 'gate', by: 'ed' }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('gate gate has not opened yet (it waits for build); decide once it is awaiting approval, or send the decision with hold to keep it until then');
      await handle.signal(approveSignal, { step: 'gate', by: 'ed' });
      const noted = await waitFor(async () => (await status(handle)).notices?.find((n) => n.startsWith('approve signal ignored')));
      expect(noted).toMatch(/has not opened yet/);
      await untilStep(handle, 'gate', 'awaiting_approval');
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ed' }] });
      expect((await closed(handle)).outcome).toBe('completed');
    });
  });

  it('honours onFailure: continue when a condition cannot be evaluated', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) =>
      closed(await start({ name: 'bad-if', steps: [{ id: 'odd', uses: 'echo', if: "fromJSON('{')", onFailure: 'continue' }, { id: 'next', uses: 'echo' }] })),
    );
    expect(end.outcome).toBe('completed');
    expect(step(end.status, 'odd')).toMatchObject({ state: 'failed', error: expect.stringMatching(/could not be evaluated/) });
  });

  it('keeps every transition across continue-as-new', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) => {
      const handle = await start({ name: 'flapping', steps: [{ id: 'gate', gate: { approvers: ['ed'] } }] }, { options: { historyLimit: 20 } });
      await untilStep(handle, 'gate', 'awaiting_approval');
      for (let i = 0; i < 30; i++) {
        await handle.signal(pauseSignal, { by: 'ops' });
        await handle.signal(resumeSignal, { by: 'ops' });
      }
      await waitFor(async () => ((await status(handle)).transitions.length >= 61 ? true : undefined), 30_000);
      await waitFor(async () => ((await status(handle)).steps[0]?.state === 'awaiting_approval' ? true : undefined));
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ed' }] });
      const end = await closed(handle);
      expect(await noTaskFailures(handle)).toBe(0);
      return end;
    });
    expect(end.status?.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(end.status?.transitions.filter((c) => c.to === 'paused')).toHaveLength(30);
  });
});

describe('conditions on gates', () => {
  it('skips a gate whose condition is false, and what needs it', async () => {
    const t = reviewTest(env);
    const end = await runGuarded(t, async (start) =>
      closed(await start({ name: 'no-gate', steps: [{ id: 'gate', if: 'false', gate: { approvers: ['ed'] } }, { id: 'after', uses: 'echo', needs: ['gate'] }, { id: 'other', uses: 'echo' }] })),
    );
    expect(end.outcome).toBe('completed');
    expect(end.status?.steps.map((s) => [s.id, s.state])).toEqual([
      ['gate', 'skipped'],
      ['after', 'skipped'],
      ['other', 'succeeded'],
    ]);
  });
});

describe('search attributes', () => {
  it('are upserted when the state changes, not on every step beside an open gate', async () => {
    const t = reviewTest(env);
    const chain = Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, uses: 'echo', needs: i ? [`t${i - 1}`] : [] }));
    const upserted = await runGuarded(t, async (start) => {
      const handle = await start({ name: 'flips', steps: [{ id: 'gate', gate: { approvers: ['ed'] } }, ...chain] });
      await untilStep(handle, 't7', 'succeeded');
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'ed' }] });
      await closed(handle);
      const { events } = await handle.fetchHistory();
      return (events ?? []).flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
    });
    // Our own attributes only: each patch() adds one upsert of TemporalChangeVersion.
    expect(upserted.filter((name) => name === 'ReviewStatus').length).toBeLessThanOrEqual(4);
  });
});
