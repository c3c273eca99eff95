import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { pauseSignal, resumeSignal, retryUpdate, statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';
import { waitFor } from '../helpers/wait';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

type Handle = { query: (q: typeof statusQuery) => Promise<ReviewStatus> };
const stepState = (handle: Handle, id: string, state: string) =>
  waitFor(async () => ((await handle.query(statusQuery)).steps.find((s) => s.id === id)?.state === state ? true : undefined));

const withUndo = (id: string, needs: string[] = []) => ({
  id,
  uses: 'echo',
  needs,
  undo: { uses: 'echo', with: { undoing: id } },
});

describe('pause and resume', () => {
  it('holds new steps while paused and lets running ones finish', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({
        name: 'pausable',
        steps: [
          { id: 'first', uses: 'echo', with: { delayMs: 800 } },
          { id: 'second', uses: 'echo', needs: ['first'] },
        ],
      });
      await stepState(handle, 'first', 'running');
      await handle.signal(pauseSignal, { by: 'ops', reason: 'freeze' });
      await handle.signal(pauseSignal, { by: 'ops' }); // idempotent
      await stepState(handle, 'first', 'succeeded');
      await new Promise((r) => setTimeout(r, 500));
      const paused = await handle.query(statusQuery);
      expect(paused.state).toBe('paused');
      expect(paused.steps.find((s) => s.id === 'second')?.state).toBe('scheduled');
      expect(t.recorder.events.map((e) => e.step)).toEqual(['first']);
      await handle.signal(resumeSignal, { by: 'ops' });
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(result.transitions.filter((c) => c.to === 'paused')).toHaveLength(1);
    });
  });

  it('ignores malformed pause payloads without failing the review', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({ name: 'robust', steps: [{ id: 'a', uses: 'echo', with: { delayMs: 300 } }] });
      await handle.signal(pauseSignal, { by: 42, extra: { deep: [[[]]] } } as never);
      await handle.signal('approve', 'not an object');
      expect((await handle.result()).state).toBe('completed');
    });
  });

  it('keeps the last 200 transitions of a review paused and resumed many times, and counts the rest', async () => {
    const t = reviewTest(env);
    const status = await t.run(async () => {
      const handle = await t.start({ name: 'restless', steps: [{ id: 'ok', gate: { approvers: ['ed'] } }] });
      await stepState(handle, 'ok', 'awaiting_approval');
      for (let i = 1; i <= 110; i++) {
        await handle.signal(pauseSignal, { by: 'ops', reason: `pause ${i}` });
        await handle.signal(resumeSignal, { by: 'ops' });
      }
      const status = await waitFor(async () => {
        const s = await handle.query(statusQuery);
        return s.transitions.at(-1)?.from === 'paused' && s.transitions.some((c) => c.reason === 'pause 110') ? s : undefined;
      });
      await handle.signal('approve', { by: 'ed' });
      await handle.result();
      return status;
    });
    expect(status.transitions).toHaveLength(200);
    expect(status.transitionsDropped).toBe(220 + 2 - 200);
    expect(status.transitions.at(-2)).toMatchObject({ to: 'paused', reason: 'pause 110' });
    expect(status.state).toBe('awaiting_approval');
  });
});

describe('cancellation and compensation', () => {
  it('cancels in-flight steps, runs undo steps in reverse order and ends cancelled', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({
        name: 'cancellable',
        steps: [withUndo('a'), withUndo('b', ['a']), { id: 'hang', uses: 'hang', needs: ['b'], timeout: { heartbeat: '5s' } }],
      });
      await stepState(handle, 'hang', 'running');
      await handle.cancel();
      const err = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    });
    const undos = t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step);
    expect(undos).toEqual(['b', 'a']);
    expect(t.recorder.events.find((e) => e.step === 'hang')?.outcome).toBe('cancelled');
  });

  it('runs undo steps in reverse order when the review fails', async () => {
    const t = reviewTest(env);
    const err = await t.run(async () =>
      (
        await t.start({
          name: 'compensating',
          defaults: { retry: { maxAttempts: 1 } },
          steps: [withUndo('deploy'), withUndo('migrate', ['deploy']), { id: 'verify', uses: 'fail', needs: ['migrate'] }],
        })
      )
        .result()
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const status = ((err as WorkflowFailedError).cause as unknown as { details: ReviewStatus[] }).details[0]!;
    expect(status.state).toBe('failed');
    expect(status.steps.find((s) => s.id === 'migrate')?.undo?.state).toBe('succeeded');
    expect(t.recorder.events.filter((e) => e.kind === 'undo').map((e) => e.step)).toEqual(['migrate', 'deploy']);
  });
});

describe('retry of a failed review', () => {
  it('re-runs the failed steps and what depends on them, reusing outputs of steps that succeeded', async () => {
    const t = reviewTest(env);
    t.recorder.broken.add('tests');
    await t.run(async () => {
      const handle = await t.start(
        {
          name: 'retryable',
          steps: [
            { id: 'build', uses: 'echo' },
            { id: 'tests', uses: 'flaky', needs: ['build'] },
            { id: 'ship', uses: 'echo', needs: ['tests'] },
          ],
        },
        { options: { retryWindow: '1h' } },
      );
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'failed' ? true : undefined));
      t.recorder.broken.delete('tests');
      const refused = await handle.executeUpdate(retryUpdate, { args: [{ from: 'nope' }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      const accepted = await handle.executeUpdate(retryUpdate, { args: [{}] });
      expect(accepted.rerun).toEqual(['tests', 'ship']);
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(result.transitions.map((c) => c.to)).toEqual(['running', 'failed', 'running', 'completed']);
    });
    expect(t.recorder.events.filter((e) => e.step === 'build')).toHaveLength(1);
    expect(t.recorder.events.filter((e) => e.step === 'tests')).toHaveLength(2);
  });
});

describe('history discipline', () => {
  it('continues as new past the history limit, carrying every step', async () => {
    const t = reviewTest(env);
    const steps = Array.from({ length: 30 }, (_, i) => ({ id: `s${i}`, uses: 'echo', needs: i ? [`s${i - 1}`] : [], with: { i } }));
    const result = await t.run(async () =>
      (await t.start({ name: 'long-chain', steps }, { options: { historyLimit: 60 } })).result(),
    );
    expect(result.state).toBe('completed');
    expect(result.continuedAsNew).toBeGreaterThanOrEqual(2);
    expect(result.steps.every((s) => s.state === 'succeeded')).toBe(true);
    expect(result.steps[29]?.output).toMatchObject({ i: 29 });
    expect(t.recorder.events).toHaveLength(30);
  });
});
