/**
 * A decision sent with `hold` before its gate opens is kept and applied when the gate opens (checked
 * again then), as GitHub keeps an approval given while the checks still run. On the dev server.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerTestEnv } from '../helpers/environments';
import { reviewTest } from '../helpers/review-harness';
import { approveUpdate, rejectUpdate, withdrawSignal } from '../../workflows/messages';
import { closed, runGuarded, status, step, untilStep, refusal } from './regressions/outcome';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it('keeps an approval sent while the checks run and applies it when the gate opens', async () => {
  const t = reviewTest(env);
  await runGuarded(t, async (start) => {
    const handle = await start({
      name: 'early',
      steps: [
        { id: 'check', uses: 'echo', with: { delayMs: 2500 } },
        { id: 'maintainer', needs: ['check'], gate: { approvers: ['role:maintainer'], required: 1 } },
      ],
    });
    await untilStep(handle, 'check', 'running');
    expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'bob', roles: ['maintainer'] }] }))).toMatch(/^no approval gate is open \(maintainer has not opened yet; send the decision with hold/);
    expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'eve', roles: ['intern'], hold: true }] }))).toMatch(/eve may not decide gate maintainer/);
    const held = await handle.executeUpdate(approveUpdate, { args: [{ by: 'bob', roles: ['maintainer'], comment: 'LGTM', hold: true }] });
    expect(held.outcome).toBeUndefined();
    expect(held.held).toEqual([expect.objectContaining({ by: 'bob', verdict: 'approve', roles: ['maintainer'] })]);
    expect(step(await status(handle), 'maintainer')?.state).toBe('pending');
    const end = await closed(handle);
    expect(end.outcome).toBe('completed');
    expect(step(end.status, 'maintainer')?.gate).toMatchObject({ outcome: 'approved', decidedBy: 'approvers', approvals: [expect.objectContaining({ by: 'bob', comment: 'LGTM' })] });
    expect(end.status?.decisions).toEqual([expect.objectContaining({ step: 'maintainer', by: 'bob', verdict: 'approve' })]);
  });
});

it('applies held decisions in the order they came, and drops with a notice those that arrive at a decided gate', async () => {
  const t = reviewTest(env);
  await runGuarded(t, async (start) => {
    const handle = await start({
      name: 'early-split',
      steps: [
        { id: 'check', uses: 'echo', with: { delayMs: 2500 } },
        { id: 'maintainer', needs: ['check'], gate: { approvers: ['bob', 'alice'], required: 1 } },
      ],
    });
    await untilStep(handle, 'check', 'running');
    await handle.executeUpdate(rejectUpdate, { args: [{ by: 'bob', comment: 'not yet', hold: true }] });
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'alice', hold: true }] });
    const end = await closed(handle);
    expect(end.outcome).toBe('rejected');
    expect(step(end.status, 'maintainer')?.gate).toMatchObject({ outcome: 'rejected', decidedBy: 'approvers' });
    expect(end.status?.decisions).toEqual([expect.objectContaining({ by: 'bob', verdict: 'reject' })]);
    expect(end.status?.notices).toContain(
      'approve by alice, held until gate maintainer opened, was dropped: gate maintainer is already decided (rejected) by its approvers; decisions are no longer accepted',
    );
  });
});

it('drops a held approval that is withdrawn before the gate opens', async () => {
  const t = reviewTest(env);
  await runGuarded(t, async (start) => {
    const handle = await start({
      name: 'early-dismissed',
      steps: [
        { id: 'check', uses: 'echo', with: { delayMs: 2500 } },
        { id: 'maintainer', needs: ['check'], gate: { approvers: ['bob', 'alice'], required: 1 } },
      ],
    });
    await untilStep(handle, 'check', 'running');
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'bob', hold: true }] });
    await handle.signal(withdrawSignal, { by: 'bob', reason: 'review dismissed on GitHub' });
    await untilStep(handle, 'maintainer', 'awaiting_approval');
    const waiting = await status(handle);
    expect(step(waiting, 'maintainer')?.gate).toMatchObject({ approvals: [] });
    expect(step(waiting, 'maintainer')?.gate?.held).toBeUndefined();
    expect(waiting.notices).toContain('bob withdrew the approval of gate maintainer (review dismissed on GitHub)');
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'alice' }] });
    const end = await closed(handle);
    expect(end.outcome).toBe('completed');
    expect(end.status?.decisions.map((d) => d.by)).toEqual(['alice']);
  });
});
