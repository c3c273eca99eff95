/** The pure parts of the review workflow: lifecycle table, held time, step book, output budget, structure, carry-over. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PipelineSchema, type PipelineInput } from '../../src/definition/schema';
import { restoredState } from '../../workflows/carry';
import { HeldTime } from '../../workflows/held-time';
import {
  applyLifecycle,
  displayState,
  INITIAL_LIFECYCLE,
  LIFECYCLE_RULES,
  lifecycleDiagram,
  type Lifecycle,
  type LifecycleEvent,
} from '../../workflows/lifecycle';
import { compactOutput, jsonSize, stepOutputBudget, OUTPUT_BUDGET_BYTES } from '../../workflows/outputs';
import { REVIEW_TRANSITIONS } from '../../workflows/state-machine';
import { StepBook } from '../../workflows/step-book';
import { structuralProblems } from '../../workflows/structure';
import type { ReviewState, ReviewWorkflowInput } from '../../workflows/types';

const EVENTS: LifecycleEvent[] = [
  { type: 'pause' },
  { type: 'resume' },
  { type: 'fail', reason: 'step x failed' },
  { type: 'reject', reason: 'gate g rejected' },
  { type: 'cancel', reason: 'cancel requested' },
  { type: 'finish' },
  { type: 'settled', retryWindow: true },
  { type: 'settled', retryWindow: false },
  { type: 'retry' },
  { type: 'retry_expired' },
  { type: 'compensated' },
];

describe('lifecycle', () => {
  it('never throws and keeps its invariants over any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EVENTS), { maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), (events, gates) => {
        let lifecycle: Lifecycle = { ...INITIAL_LIFECYCLE };
        let display: ReviewState = 'pending';
        let firstOutcome: string | undefined;
        events.forEach((event, i) => {
          const before = lifecycle;
          const applied = applyLifecycle(lifecycle, event);
          if (!applied.ok) {
            expect(applied.reason.length).toBeGreaterThan(10);
            return;
          }
          lifecycle = applied.next;
          if (before.phase === 'closed') throw new Error('closed is final');
          if (lifecycle.outcome && !firstOutcome) firstOutcome = lifecycle.outcome;
          if (event.type === 'retry') firstOutcome = undefined;
          const cancelWhileWaiting = event.type === 'cancel' && before.phase === 'retry_window';
          if (firstOutcome && lifecycle.outcome && !cancelWhileWaiting) expect(lifecycle.outcome).toBe(firstOutcome);
          if (cancelWhileWaiting) firstOutcome = 'cancelled';
          if (lifecycle.phase === 'closed') expect(lifecycle.paused).toBe(false);
          const next = displayState(lifecycle, gates[i] ?? false);
          if (next !== display) expect(REVIEW_TRANSITIONS[display]).toContain(next);
          display = next;
        });
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('decides the outcome once: a failure while settling a rejection stays a rejection', () => {
    const rejecting = applyLifecycle(INITIAL_LIFECYCLE, { type: 'reject', reason: 'gate g rejected by ed' });
    if (!rejecting.ok) throw new Error(rejecting.reason);
    const failure = applyLifecycle(rejecting.next, { type: 'fail', reason: 'late' });
    expect(failure).toEqual({ ok: false, reason: 'the review is already settling (rejected)' });
  });

  it('refuses a retry outside the retry window and says where the review is', () => {
    expect(applyLifecycle(INITIAL_LIFECYCLE, { type: 'retry' })).toEqual({
      ok: false,
      reason: 'only a failed review waiting for a retry can be retried; this one is running',
    });
  });

  it('closes a failed review cancelled in its retry window as cancelled, keeping the failure in the reason', () => {
    let l: Lifecycle = { ...INITIAL_LIFECYCLE };
    for (const event of [{ type: 'fail', reason: 'boom' }, { type: 'settled', retryWindow: true }, { type: 'cancel', reason: 'cancel requested' }] as LifecycleEvent[]) {
      const applied = applyLifecycle(l, event);
      if (!applied.ok) throw new Error(applied.reason);
      l = applied.next;
    }
    expect(l).toEqual({ phase: 'compensating', paused: false, outcome: 'cancelled', reason: 'cancel requested (while waiting for a retry after: boom)' });
  });

  it('is drawn in the README as the table has it', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`mermaid\n${lifecycleDiagram()}\n\`\`\``);
  });

  it('has one rule per phase and event, except settled which the retry window decides', () => {
    const keys = LIFECYCLE_RULES.map((r) => `${r.from}:${r.on}`);
    const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(repeated).toEqual(['settling:settled']);
  });
});

describe('held time', () => {
  it('moves deadlines by the time held after they began, across restarts of the clock', () => {
    const held = new HeldTime();
    held.hold(true, 1_000);
    const heldWhenGateOpened = held.total(2_000);
    held.hold(false, 4_000);
    expect(held.deadline(0, 10_000, 0, 5_000)).toBe(13_000);
    expect(held.deadline(2_000, 10_000, heldWhenGateOpened, 5_000)).toBe(14_000);
    held.hold(true, 6_000);
    const carried = held.carried();
    const restored = new HeldTime(carried.heldMs, carried.heldSince);
    expect(restored.total(8_000)).toBe(5_000);
    expect(restored.hold(true, 9_000)).toBe(false);
  });
});

const pipeline = (p: PipelineInput) => PipelineSchema.parse(p);
const tier = () => 'normal' as const;

describe('step book', () => {
  it('skips what a failed step blocks in one sweep, even in a 5,000-step chain declared last first', () => {
    const n = 5000;
    const steps = Array.from({ length: n }, (_, k) => {
      const i = n - 1 - k;
      return { id: `s${i}`, uses: 'echo', needs: i ? [`s${i - 1}`] : [] };
    });
    const book = new StepBook(pipeline({ name: 'chain', steps }), tier);
    const first = book.nextTask();
    expect(first?.id).toBe('s0');
    expect(book.nextTask()).toBeUndefined();
    book.set('s0', 'running');
    book.set('s0', 'failed', { error: 'boom' });
    expect(book.doneCount).toBe(n);
    expect(book.status('s4999')).toMatchObject({ state: 'skipped', skippedReason: 'needs s4998, which was skipped' });
    expect(book.status('s1')).toMatchObject({ state: 'skipped', skippedReason: 'needs s0, which failed' });
    expect(book.hasReady()).toBe(false);
  });

  it('unlocks a step once all its needs succeeded, and resets a retry to fresh statuses', () => {
    const book = new StepBook(
      pipeline({ name: 'diamond', steps: [{ id: 'a', uses: 'x' }, { id: 'b', uses: 'x', needs: ['a'] }, { id: 'c', uses: 'x', needs: ['a'] }, { id: 'd', uses: 'x', needs: ['b', 'c'] }] }),
      tier,
    );
    expect(book.nextTask()?.id).toBe('a');
    book.set('a', 'running');
    book.set('a', 'succeeded');
    expect([book.nextTask()?.id, book.nextTask()?.id]).toEqual(['b', 'c']);
    book.set('b', 'running');
    book.set('b', 'succeeded', { output: { x: 1 }, viaFallback: true });
    expect(book.hasReady()).toBe(false);
    book.set('c', 'running');
    book.set('c', 'succeeded');
    expect(book.nextTask()?.id).toBe('d');
    expect(book.downstream(['b'])).toEqual(['b', 'd']);
    book.reset(['b', 'd'], tier);
    expect(book.status('b')).toEqual({ id: 'b', uses: 'x', kind: 'task', needs: ['a'], priority: 'normal', state: 'scheduled', attempts: 0 });
    expect(book.views.b).toEqual({ status: 'scheduled' });
    expect(book.nextTask()?.id).toBe('b');
    expect(book.problems).toEqual([]);
  });

  it('records a change outside the step table as a problem instead of throwing', () => {
    const book = new StepBook(pipeline({ name: 'one', steps: [{ id: 'a', uses: 'x' }] }), tier);
    expect(() => book.set('a', 'succeeded')).not.toThrow();
    expect(book.problems).toEqual(['step a went from scheduled to succeeded; from scheduled it may go to running, skipped, cancelled']);
  });
});

describe('output budget', () => {
  it('keeps small outputs whole and cuts large ones to their share, saying so', () => {
    expect(compactOutput({ passed: true }, 256)).toEqual({ passed: true });
    const big = { passed: true, score: 3, report: 'x'.repeat(200_000), findings: Array.from({ length: 500 }, (_, i) => ({ line: i, text: 'y'.repeat(100) })) };
    const budget = stepOutputBudget(12);
    const cut = compactOutput(big, budget) as Record<string, unknown>;
    expect(jsonSize(cut)).toBeLessThanOrEqual(budget);
    expect(cut).toMatchObject({ passed: true, score: 3 });
    expect(JSON.stringify(cut)).toMatch(/characters cut|left out|cut to fit/);
    expect(12 * budget).toBeLessThanOrEqual(OUTPUT_BUDGET_BYTES);
  });

  it('stays within budget whatever the output', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 256, max: 4096 }), (value, budget) => {
        expect(jsonSize(compactOutput(value, budget))).toBeLessThanOrEqual(Math.max(budget, jsonSize(value) <= budget ? budget : budget));
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});

describe('structure checks inside the workflow', () => {
  it('accept what a stricter validator might refuse, and refuse what cannot run', () => {
    expect(structuralProblems({ name: 'p', steps: [{ id: 'a', uses: 'x', with: { v: '${{ steps.b.output }}' } }, { id: 'b', uses: 'x', needs: ['a'] }] })).toEqual([]);
    expect(structuralProblems({ name: 'p', steps: [{ id: 'a', uses: 'x', needs: ['b'] }, { id: 'b', uses: 'x', needs: ['a'] }] })).toEqual([
      'dependency cycle: a -> b -> a',
    ]);
    expect(structuralProblems({ name: 'p', steps: [{ id: 'a', uses: 'x', needs: ['ghost'] }] })).toEqual([
      'steps[0].needs[0]: step a needs ghost, which is not a step of this pipeline',
    ]);
    expect(structuralProblems({ name: 'p', timeout: 'soon', steps: [{ id: 'g', gate: { approvers: [] } }] })).toEqual([
      'step g: a gate needs approvers',
      'pipeline.timeout: "soon" is not a duration (write it like 30s, 5m, 2h or 2d)',
    ]);
    expect(structuralProblems('pr-review')).toEqual(['the pipeline definition must be an object (was it validated and parsed by the client?)']);
  });
});

describe('carry-over from the first workflow version', () => {
  it('turns remaining budgets into absolute deadlines that fall where they would have', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    const definition = pipeline({ name: 'old', timeout: '10h', steps: [{ id: 'g', gate: { approvers: ['ed'], deadline: '4h' } }] });
    const input = {
      definition,
      carried: {
        steps: [{ id: 'g', kind: 'gate', needs: [], priority: 'normal', state: 'awaiting_approval', attempts: 0, gate: { approvers: ['ed'], required: 1, approvals: [], rejections: [], deadlineRemainingMs: 3_600_000, remindersSent: 0, escalated: false } }],
        decisions: [],
        transitions: [],
        startedAt: '2026-01-01T20:00:00Z',
        state: 'awaiting_approval',
        paused: false,
        reviewTimeoutRemainingMs: 8 * 3_600_000,
        continuedAsNew: 3,
        undoOrder: [],
      },
    } as unknown as ReviewWorkflowInput;
    const restored = restoredState(input, now);
    const held = new HeldTime(restored.heldMs, restored.heldSince);
    expect(held.deadline(Date.parse(restored.startedAt), 10 * 3_600_000, 0, now)).toBe(now + 8 * 3_600_000);
    const gate = restored.steps[0]?.gate;
    expect(held.deadline(Date.parse(gate?.openedAt ?? ''), 4 * 3_600_000, gate?.heldAtOpenMs ?? 0, now)).toBe(now + 3_600_000);
    expect(restored).toMatchObject({ lifecycle: { phase: 'running', paused: false }, display: 'awaiting_approval', continuedAsNew: 3 });
  });
});
