/** Step outputs cut to the review's budget: whatever a step returns, what the review keeps fits. */
import fc from 'fast-check';
import { compactOutput, jsonSize, stepOutputBudget } from '../../workflows/outputs';

const budgets = fc.integer({ min: stepOutputBudget(100_000), max: stepOutputBudget(1) });
const keys = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('"', '\\', '\u0000', '\u2028', 'é'));
const outputs = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 3000 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 300 }),
    fc.dictionary(keys, tie('value'), { maxKeys: 40 }),
  ),
})).value;

const hasNote = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && ('$truncated' in value || Object.values(value).some(hasNote));

describe('compactOutput', () => {
  it('keeps an output that fits whole, and cuts one that does not to fit, saying so', () => {
    fc.assert(
      fc.property(outputs, budgets, (output, budget) => {
        const kept = compactOutput(output, budget);
        if (jsonSize(output) <= budget) return kept === output;
        return jsonSize(kept) <= budget && hasNote(kept);
      }),
      { numRuns: 400 },
    );
  });

  it('cuts an output whose top-level keys need escaping to fit too', () => {
    const output = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`"\u0001${i}`.repeat(3), i]));
    const kept = compactOutput({ ...output, big: 'x'.repeat(10_000) }, 256);
    expect(jsonSize(kept)).toBeLessThanOrEqual(256);
  });
});
