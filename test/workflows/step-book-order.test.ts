import fc from 'fast-check';
import { PipelineSchema, PRIORITIES, type Priority, type Step } from '../../src/definition/schema';
import { StepBook } from '../../workflows/step-book';

const RANK: Record<Priority, number> = { critical: 0, high: 1, normal: 2, low: 3 };
const tierOf = (step: Step): Priority => step.priority ?? 'normal';

/** Independent steps s0…sN with the given priorities, then, for each, a step that needs it (ready once it succeeds). */
function book(priorities: Priority[]): StepBook {
  const roots = priorities.map((priority, i) => ({ id: `s${i}`, uses: 'echo', priority }));
  const after = priorities.map((priority, i) => ({ id: `t${i}`, uses: 'echo', priority, needs: [`s${i}`] }));
  return new StepBook(PipelineSchema.parse({ name: 'order', steps: [...roots, ...after] }), tierOf);
}

function drain(b: StepBook, byPriority?: () => boolean, finishOrder?: number[]): string[] {
  const started: string[] = [];
  for (let step = b.nextTask(byPriority); step; step = b.nextTask(byPriority)) {
    started.push(step.id);
    b.set(step.id, 'running');
  }
  for (const i of finishOrder ?? []) b.set(`s${i}`, 'succeeded');
  for (let step = b.nextTask(byPriority); step; step = b.nextTask(byPriority)) started.push(step.id);
  return started;
}

const stableByRank = (ids: string[], priorityOf: (id: string) => Priority) =>
  ids.map((id, at) => ({ id, at })).sort((a, b) => RANK[priorityOf(a.id)] - RANK[priorityOf(b.id)] || a.at - b.at).map((x) => x.id);

const priorities = fc.array(fc.constantFrom(...PRIORITIES), { minLength: 1, maxLength: 12 });

describe('the order a review starts its ready steps in', () => {
  it('is highest priority first, each tier in the order its steps became ready', () => {
    fc.assert(
      fc.property(priorities, fc.func(fc.integer()), (tiers, key) => {
        const finishOrder = tiers.map((_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
        const started = drain(book(tiers), () => true, finishOrder);
        const priorityOf = (id: string) => tiers[Number(id.slice(1))] as Priority;
        const roots = tiers.map((_, i) => `s${i}`);
        const dependents = finishOrder.map((i) => `t${i}`);
        expect(started).toEqual([...stableByRank(roots, priorityOf), ...stableByRank(dependents, priorityOf)]);
      }),
    );
  });

  it('is the order the steps became ready when priority order is not allowed (a history written before it)', () => {
    fc.assert(
      fc.property(priorities, (tiers) => {
        expect(drain(book(tiers), () => false, tiers.map((_, i) => i))).toEqual([...tiers.map((_, i) => `s${i}`), ...tiers.map((_, i) => `t${i}`)]);
      }),
    );
  });

  it('asks whether priority order is allowed only when it would start another step', () => {
    fc.assert(
      fc.property(priorities, (tiers) => {
        let asked = 0;
        drain(book(tiers), () => {
          asked += 1;
          return true;
        });
        const inOrder = tiers.every((tier, i) => i === 0 || RANK[tiers[i - 1] as Priority] <= RANK[tier]);
        if (inOrder) expect(asked).toBe(0);
        else expect(asked).toBeGreaterThan(0);
      }),
    );
  });
});
