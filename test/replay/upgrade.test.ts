/**
 * Reviews started by the first workflow version are carried over by workers running the current code:
 * they replay on the frozen first version, and a run that the first version continued as new starts
 * on the lifecycle model with the state the first version carried. On the dev server: the hand-over
 * from one worker to the next goes through the server's sticky-queue expiry, as in a real deploy.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { reviewTest } from '../helpers/review-harness';
import { devServerTestEnv } from '../helpers/environments';
import { withReviewWorkers } from '../helpers/review-workers';
import { approveSignal, pauseSignal, resumeSignal, statusQuery } from '../../workflows/messages';
import { waitFor } from '../helpers/wait';
import { workflowTaskFailures } from '../fuzz/history';

let env: TestWorkflowEnvironment;
let firstVersion: { code: string };
beforeAll(async () => {
  const noop = () => undefined;
  const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
  [env, firstVersion] = await Promise.all([devServerTestEnv(), bundleWorkflowCode({ workflowsPath: require.resolve('./first-version-workflows'), logger })]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

const gated = {
  name: 'upgrade',
  timeout: '3d',
  steps: [
    { id: 'check', uses: 'echo' },
    { id: 'editor', needs: ['check'], gate: { approvers: ['ed'], deadline: '2d' } },
    { id: 'publish', uses: 'echo', needs: ['editor'] },
  ],
};

describe('upgrading workers while reviews are open', () => {
  it('finishes a review the first version started, on the first version, with no workflow task failure', async () => {
    const t = reviewTest(env);
    const handle = await withReviewWorkers(env.nativeConnection, t.prefix, t.recorder.activities, async () => {
      const handle = await t.start(gated);
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      return handle;
    }, { workflowBundle: firstVersion });
    const result = await t.run(async () => {
      await handle.signal(approveSignal, { by: 'ed' });
      return handle.result();
    });
    expect(result.state).toBe('completed');
    expect(result.phase).toBeUndefined();
    expect(await workflowTaskFailures(handle)).toBe(0);
  });

  it('starts the next run of a review the first version continued as new on the current code, deadlines kept', async () => {
    const t = reviewTest(env);
    const handle = await withReviewWorkers(env.nativeConnection, t.prefix, t.recorder.activities, async () => {
      const handle = await t.start(gated, { options: { historyLimit: 25 } });
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      return handle;
    }, { workflowBundle: firstVersion });
    for (let i = 0; i < 6; i++) {
      await handle.signal(pauseSignal, { by: 'ops' });
      await handle.signal(resumeSignal, { by: 'ops' });
    }
    const result = await t.run(async () => {
      const next = await waitFor(async () => {
        const status = await handle.query(statusQuery);
        return status.continuedAsNew > 0 && status.phase === 'running' && status.state === 'awaiting_approval' ? status : undefined;
      }, 30_000);
      const gate = next.steps.find((s) => s.id === 'editor')?.gate;
      expect(gate?.deadlineRemainingMs).toBeGreaterThan(47 * 3_600_000);
      expect(Date.parse(next.deadlineAt ?? '') - Date.parse(next.startedAt)).toBeGreaterThanOrEqual(3 * 24 * 3_600_000);
      await handle.signal(approveSignal, { by: 'ed' });
      return handle.result();
    });
    expect(result.state).toBe('completed');
    expect(result.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(result.transitions.filter((c) => c.to === 'paused')).toHaveLength(6);
    expect(await workflowTaskFailures(handle)).toBe(0);
  });
});
