/** The review shapes the benchmarks run, all on the no-op `echo` executor. */
import { PipelineSchema, type Pipeline, type PipelineInput, type Priority } from '../../src/definition/schema';

type StepInput = PipelineInput['steps'][number];

const echo = (id: string, needs: string[] = [], extra: Partial<StepInput> = {}): StepInput => ({
  id,
  uses: 'echo',
  ...(needs.length ? { needs } : {}),
  ...extra,
});

function pipeline(input: PipelineInput): Pipeline {
  return PipelineSchema.parse(input);
}

/** a → (b, c, d) → e */
export function diamond(): Pipeline {
  return pipeline({
    name: 'bench-diamond',
    steps: [echo('a'), echo('b', ['a']), echo('c', ['a']), echo('d', ['a']), echo('e', ['b', 'c', 'd'])],
  });
}

export function chain(length: number, name = `bench-chain-${length}`): Pipeline {
  return pipeline({ name, steps: Array.from({ length }, (_, i) => echo(`s${i}`, i > 0 ? [`s${i - 1}`] : [])) });
}

/** One root, `size - 2` parallel steps, one join. */
export function wide(size: number, maxParallel: number): Pipeline {
  const middle = Array.from({ length: size - 2 }, (_, i) => echo(`w${i}`, ['root']));
  return pipeline({
    name: `bench-wide-${size}`,
    maxParallel,
    steps: [echo('root'), ...middle, echo('join', middle.map((s) => s.id))],
  });
}

/**
 * Parallel steps of every tier, each waiting `delayMs`; step ids start with the tier's name. Listed lowest
 * priority first (`perTier` in reverse), so that the order in which a review starts them is its own doing.
 */
export function tierMix(perTier: Record<Priority, number>, delayMs: number): Pipeline {
  const steps = (Object.entries(perTier) as [Priority, number][]).reverse().flatMap(([tier, count]) =>
    Array.from({ length: count }, (_, i) => echo(`${tier}${i}`, [], { priority: tier, with: { delayMs } })),
  );
  return pipeline({ name: 'bench-tiers', maxParallel: 100, steps });
}

/** One step, an approval gate, and one step after it. */
export function gated(name: string): Pipeline {
  return pipeline({
    name,
    steps: [echo('prepare'), { id: 'approval', needs: ['prepare'], gate: { approvers: ['bench'] } }, echo('finish', ['approval'])],
  });
}
