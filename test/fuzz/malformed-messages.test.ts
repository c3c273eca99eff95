import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';
import { workflowTaskFailures } from './history';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const MB = 1024 * 1024;
const huge = 'x'.repeat(MB);
/** Every signal lands in history even when ignored (see size-limits.test.ts), so most signals carry 64 KB, one 1 MB. */
const big = 'x'.repeat(64 * 1024);
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}

/** Payloads that are not a valid decision, each with what the rejection must mention. */
const BAD_DECISIONS: [unknown, RegExp][] = [
  [undefined, /invalid decision: payload/],
  [null, /invalid decision: payload/],
  [42, /invalid decision: payload/],
  ['approve', /invalid decision: payload/],
  [[], /invalid decision: payload/],
  [[{ by: 'ed' }], /invalid decision: payload/],
  [{}, /invalid decision: by/],
  [{ by: '' }, /invalid decision: by/],
  [{ by: 5 }, /invalid decision: by/],
  [{ by: null }, /invalid decision: by/],
  [{ by: ['ed'] }, /invalid decision: by/],
  [{ by: 'ed', step: 'ghost' }, /unknown step ghost \(gates: editor\)/],
  [{ by: 'ed', step: 'read' }, /step read is not an approval gate \(gates: editor\)/],
  [{ by: 'ed', step: 'g'.repeat(100) }, /invalid decision: step/],
  [{ by: 'ed', step: 7 }, /invalid decision: step/],
  [{ by: 'ed', verdict: 'approve' }, /invalid decision: payload: Unrecognized key/],
  [{ by: 'ed', __proto__: { admin: true }, role: 'x' }, /invalid decision: payload: Unrecognized key/],
  [{ by: 'mallory' }, /mallory may not decide gate editor \(allowed: ed\)/],
  [{ by: 'ed', roles: 'editor' }, /invalid decision: roles/],
  [{ by: 'ed', roles: [1, 2] }, /invalid decision: roles\.0/],
  [{ by: 'ed', roles: Array.from({ length: 51 }, (_, i) => `r${i}`) }, /invalid decision: roles/],
  [{ by: huge }, /invalid decision: by/],
  [{ by: 'ed', comment: huge }, /invalid decision: comment/],
  [{ by: 'ed', comment: 5 }, /invalid decision: comment/],
  [{ by: 'ed', comment: nested(200) }, /invalid decision: comment/],
  [nested(200), /invalid decision: by: .*; payload: Unrecognized key/],
];

const BAD_RETRIES: [unknown, RegExp][] = [
  [42, /invalid retry: payload/],
  ['all', /invalid retry: payload/],
  [[], /invalid retry: payload/],
  [{ from: 5 }, /invalid retry: from/],
  [{ from: '' }, /invalid retry: from/],
  [{ from: huge }, /invalid retry: from/],
  [{ step: 'read' }, /invalid retry: payload: Unrecognized key/],
  [{ from: 'read' }, /only a failed review waiting for a retry can be retried; this one is running/],
];

const BAD_PAUSES: unknown[] = [42, 'now', [], null, { by: '' }, { by: big }, { reason: big }, { reason: 5 }, { by: 'ed', extra: true }, nested(200)];
const BAD_PROGRESS: unknown[] = [
  undefined,
  null,
  'started',
  {},
  { step: 'read' },
  { step: 'read', attempt: 0, event: 'attempt_started' },
  { step: 'read', attempt: 1.5, event: 'attempt_started' },
  { step: 'read', attempt: 1, event: 'exploded' },
  { step: 'read', attempt: 1, event: 'attempt_failed', error: big },
  { step: big, attempt: 1, event: 'attempt_started' },
  { step: 'ghost', attempt: 1, event: 'attempt_failed', error: 'boom' },
  { step: 'editor', attempt: 1, event: 'attempt_failed', error: 'boom' },
  { step: 'read', attempt: 2, event: 'attempt_failed', error: 'boom' },
  nested(200),
];

async function untilGateOpen(query: () => Promise<ReviewStatus>): Promise<ReviewStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await query();
    if (status.state === 'awaiting_approval') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the gate never opened');
}

describe('malformed signal and update payloads', () => {
  it('rejects every malformed update precisely, ignores every malformed signal, and the review still completes', async () => {
    const t = reviewTest(env);
    const figures = { updates: 0, updatesRejected: 0, signals: 0 };
    await t.run(async () => {
      const handle = await t.start({
        name: 'malformed',
        steps: [
          { id: 'read', uses: 'echo', with: { text: 'hello' } },
          { id: 'editor', needs: ['read'], gate: { approvers: ['ed'] } },
          { id: 'publish', uses: 'echo', needs: ['editor'] },
        ],
      });
      const before = await untilGateOpen(() => handle.query(statusQuery));

      for (const [name, payloads] of [
        ['approve', [...BAD_DECISIONS.map(([p]) => p).filter((p) => !JSON.stringify(p ?? null).includes(huge)), { by: 'ed', comment: huge }]],
        ['reject', [...BAD_DECISIONS.map(([p]) => p).filter((p) => !JSON.stringify(p ?? null).includes(huge)), { by: big }]],
        ['pause', BAD_PAUSES],
        ['resume', BAD_PAUSES],
        ['stepProgress', BAD_PROGRESS],
      ] as const) {
        for (const payload of payloads) {
          await handle.signal(name, payload);
          figures.signals += 1;
        }
      }

      const unexpected: string[] = [];
      for (const [update, cases] of [
        ['approveGate', BAD_DECISIONS],
        ['rejectGate', BAD_DECISIONS],
        ['retry', BAD_RETRIES],
      ] as const) {
        for (const [payload, expected] of cases) {
          figures.updates += 1;
          const outcome = await handle.executeUpdate(update, { args: [payload] }).then(
            (value: unknown) => ({ accepted: value }),
            (error: unknown) => ({ error }),
          );
          const message = 'error' in outcome && outcome.error instanceof WorkflowUpdateFailedError ? String(outcome.error.cause?.message) : undefined;
          if (message !== undefined && expected.test(message)) figures.updatesRejected += 1;
          else unexpected.push(`${update}(${JSON.stringify(payload)?.slice(0, 80)}): ${message ?? JSON.stringify(outcome).slice(0, 200)}`);
        }
      }
      expect(unexpected).toEqual([]);

      const after = await handle.query(statusQuery);
      expect(after.state).toBe('awaiting_approval');
      expect(after.decisions).toEqual([]);
      expect(after.transitions).toEqual(before.transitions);
      expect(after.steps.map((s) => [s.id, s.state, s.attempts, s.error])).toEqual(before.steps.map((s) => [s.id, s.state, s.attempts, s.error]));

      await handle.executeUpdate('approveGate', { args: [{ step: 'editor', by: 'ed', comment: 'fine' }] });
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(result.decisions).toHaveLength(1);
      expect(await workflowTaskFailures(handle)).toBe(0);
    });
    // The figures for the README's Reliability section.
    console.log(`malformed messages: ${figures.signals} signals ignored, ${figures.updatesRejected}/${figures.updates} updates rejected with a precise error, 0 workflow task failures`);
  }, 180_000);
});
