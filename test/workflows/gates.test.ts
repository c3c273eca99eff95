import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { approveSignal, approveUpdate, pauseSignal, rejectUpdate, resumeSignal, statusQuery, withdrawSignal } from '../../workflows/messages';
import type { PipelineInput } from '../../src/definition/schema';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const HOUR = 3600_000;

const editorial = (gate: Record<string, unknown> = {}): PipelineInput => ({
  name: 'editorial',
  steps: [
    { id: 'check', uses: 'echo' },
    {
      id: 'editor',
      needs: ['check'],
      gate: {
        approvers: ['alice', 'bob', 'role:editor'],
        required: 2,
        deadline: '48h',
        reminders: ['24h'],
        remind: { uses: 'echo', with: { text: 'reminder' } },
        escalate: { uses: 'echo', with: { text: 'escalated' } },
        ...gate,
      },
    },
    { id: 'publish', uses: 'echo', needs: ['editor'], with: { delayMs: 1500 } },
  ],
});

async function gateOpen(handle: { query: (q: typeof statusQuery) => Promise<import('../../workflows/types').ReviewStatus> }) {
  for (let i = 0; i < 100; i++) {
    const status = await handle.query(statusQuery);
    if (status.steps.find((s) => s.id === 'editor')?.state === 'awaiting_approval') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('gate never opened');
}

describe('approval gates', () => {
  it('needs N of M approvals from allowed approvers and keeps every decision', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () => {
      const handle = await t.start(editorial());
      const status = await gateOpen(handle);
      expect(status.state).toBe('awaiting_approval');
      const first = await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'alice', comment: 'good' }] });
      expect(first).toMatchObject({ required: 2, approvals: [{ by: 'alice', comment: 'good' }] });
      expect(first.outcome).toBeUndefined();
      await handle.signal(approveSignal, { by: 'carol', roles: ['editor'] });
      return handle.result();
    });
    expect(result.state).toBe('completed');
    expect(result.decisions.map((d) => [d.by, d.verdict])).toEqual([
      ['alice', 'approve'],
      ['carol', 'approve'],
    ]);
    expect(result.steps.find((s) => s.id === 'publish')?.state).toBe('succeeded');
  });

  it('takes back a withdrawn approval the gate still needed more of, and says so', async () => {
    const t = reviewTest(env);
    const { waiting, result } = await t.run(async () => {
      const handle = await t.start(editorial());
      await gateOpen(handle);
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'alice' }] });
      await handle.signal(withdrawSignal, { by: 'alice', reason: 'review dismissed on GitHub' });
      await handle.signal(withdrawSignal, { by: 'nobody' });
      const waiting = await handle.query(statusQuery);
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'bob' }] });
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'carol', roles: ['editor'] }] });
      return { waiting, result: await handle.result() };
    });
    expect(waiting.steps.find((s) => s.id === 'editor')).toMatchObject({ state: 'awaiting_approval', gate: { approvals: [] } });
    expect(waiting.notices).toEqual([
      'alice withdrew the approval of gate editor (review dismissed on GitHub)',
      'withdraw by nobody: nothing to take back (no held decision, and no approval of an undecided gate)',
    ]);
    expect(result.state).toBe('completed');
    expect(result.steps.find((s) => s.id === 'editor')?.gate?.approvals.map((d) => d.by)).toEqual(['bob', 'carol']);
  });

  it('refuses updates that are not allowed, saying why', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(editorial({ required: 1 }));
      await gateOpen(handle);
      const refused = (args: unknown) =>
        handle.executeUpdate(approveUpdate, { args: [args as never] }).then(
          () => 'accepted',
          (e: unknown) => (e instanceof WorkflowUpdateFailedError ? String(e.cause?.message) : String(e)),
        );
      expect(await refused({ step: 'check', by: 'alice' })).toContain('step check is not an approval gate');
      expect(await refused({ step: 'nope', by: 'alice' })).toContain('unknown step nope');
      expect(await refused({ step: 'editor', by: 'mallory' })).toContain('mallory may not decide gate editor');
      expect(await refused({ step: 'editor' })).toContain('invalid decision: by');
      expect(await refused({ step: 'editor', by: 'x'.repeat(10_000) })).toContain('invalid decision');
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'bob' }] });
      expect(await refused({ step: 'editor', by: 'alice' })).toContain('gate editor is already decided (approved) by its approvers; decisions are no longer accepted');
      expect((await handle.result()).state).toBe('completed');
    });
  });

  it('ends the review rejected on a rejection, skipping what depends on the gate', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () => {
      const handle = await t.start(editorial());
      await gateOpen(handle);
      const gate = await handle.executeUpdate(rejectUpdate, { args: [{ step: 'editor', by: 'bob', comment: 'needs work' }] });
      expect(gate.outcome).toBe('rejected');
      return handle.result();
    });
    expect(result.state).toBe('rejected');
    expect(result.steps.find((s) => s.id === 'editor')).toMatchObject({ state: 'failed', error: 'rejected by bob' });
    expect(result.steps.find((s) => s.id === 'publish')).toMatchObject({ state: 'skipped', skippedReason: 'needs editor, which failed' });
    expect(result.decisions).toEqual([expect.objectContaining({ by: 'bob', verdict: 'reject', comment: 'needs work' })]);
  });

  it('sends the reminder at 24h, escalates at 48h and applies the timeout policy, in seconds', async () => {
    const t = reviewTest(env);
    const wallStart = Date.now();
    const result = await t.run(async () => {
      const handle = await t.start(editorial());
      await gateOpen(handle);
      return handle.result();
    });
    expect(Date.now() - wallStart).toBeLessThan(30_000);
    expect(result.state).toBe('rejected');
    const gate = result.steps.find((s) => s.id === 'editor')!;
    expect(gate.gate).toMatchObject({ outcome: 'rejected', remindersSent: 1, escalated: true });
    const opened = t.recorder.events.find((e) => e.step === 'check')!.serverTime;
    const reminder = t.recorder.events.find((e) => e.kind === 'reminder')!;
    const escalation = t.recorder.events.find((e) => e.kind === 'escalation')!;
    expect((reminder.serverTime - opened) / HOUR).toBeCloseTo(24, 1);
    expect((escalation.serverTime - opened) / HOUR).toBeCloseTo(48, 1);
  });

  it('notes a reminder and an escalation that fail, and still applies the deadline', async () => {
    const t = reviewTest(env);
    const broken = { uses: 'fail', with: { nonRetryable: true }, retry: { maxAttempts: 1 } };
    const result = await t.run(async () => {
      const handle = await t.start(editorial({ remind: broken, escalate: broken }));
      await gateOpen(handle);
      return handle.result();
    });
    expect(result.state).toBe('rejected');
    expect(result.steps.find((s) => s.id === 'editor')?.gate).toMatchObject({ outcome: 'rejected' });
    expect(result.notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gate editor: reminder 1 failed: broken on attempt 1$/),
        expect.stringMatching(/^gate editor: escalation failed: broken on attempt 1$/),
      ]),
    );
  });

  it('approves on timeout when the policy says so', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () => (await t.start(editorial({ onTimeout: 'approve', reminders: [] }))).result());
    expect(result.state).toBe('completed');
  });

  it('freezes the deadline while paused', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(editorial({ deadline: '1h', reminders: [] }));
      await gateOpen(handle);
      await handle.signal(pauseSignal, { by: 'ops' });
      await env.sleep('5h');
      let status = await handle.query(statusQuery);
      expect(status.state).toBe('paused');
      const gate = status.steps.find((s) => s.id === 'editor')!;
      expect(gate.state).toBe('awaiting_approval');
      expect(gate.gate?.deadlineRemainingMs).toBeGreaterThan(0.9 * HOUR);
      await handle.signal(resumeSignal);
      await handle.signal(resumeSignal); // idempotent
      status = await handle.query(statusQuery);
      expect(status.state).toBe('awaiting_approval');
      const result = await handle.result();
      expect(result.state).toBe('rejected');
      expect(result.transitions.map((c) => c.to)).toEqual(['running', 'awaiting_approval', 'paused', 'awaiting_approval', 'rejected']);
    });
  });
});
