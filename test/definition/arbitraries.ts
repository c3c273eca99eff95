import fc from 'fast-check';
import type { GraphNode } from '../../src/definition/graph';

export interface RandomDag {
  nodes: { id: string; needs: string[] }[];
}

/** A random DAG: step i needs up to 3 of the steps before it; the list is then shuffled. */
export function dagArbitrary(maxSteps = 40): fc.Arbitrary<RandomDag> {
  return fc.integer({ min: 1, max: maxSteps }).chain((n) =>
    fc
      .tuple(
        fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }),
      )
      .map(([picks, keys]) => {
        const nodes = picks.map((pick, i) => ({
          id: `s${i}`,
          needs: i === 0 ? [] : [...new Set(pick.map((p) => `s${p % i}`))],
        }));
        const order = nodes.map((node, i) => ({ node, key: keys[i] as number }));
        order.sort((a, b) => a.key - b.key);
        return { nodes: order.map((o) => o.node) };
      }),
  );
}

/** A DAG plus some cycles injected into it: each cycle `c0 needs c1 needs … needs c0`. */
export function cyclicArbitrary(): fc.Arbitrary<{ nodes: { id: string; needs: string[] }[]; cycles: string[][] }> {
  return dagArbitrary(30)
    .filter((dag) => dag.nodes.length >= 1)
    .chain((dag) =>
      fc
        .array(fc.shuffledSubarray(dag.nodes.map((n) => n.id), { minLength: 1, maxLength: Math.min(5, dag.nodes.length) }), { minLength: 1, maxLength: 3 })
        .map((cycles) => {
          const nodes = dag.nodes.map((n) => ({ id: n.id, needs: [...n.needs] }));
          const byId = new Map(nodes.map((n) => [n.id, n]));
          for (const cycle of cycles) {
            cycle.forEach((id, i) => {
              const next = cycle[(i + 1) % cycle.length] as string;
              const node = byId.get(id) as { needs: string[] };
              if (!node.needs.includes(next)) node.needs.push(next);
            });
          }
          return { nodes, cycles };
        }),
    );
}

/** Whether `cycle` is a real cycle of `nodes`: closed, and each step needs the next. */
export function isRealCycle(nodes: readonly GraphNode[], cycle: readonly string[]): boolean {
  if (cycle.length < 2 || cycle[0] !== cycle[cycle.length - 1]) return false;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (let i = 0; i + 1 < cycle.length; i++) {
    if (!(byId.get(cycle[i] as string)?.needs ?? []).includes(cycle[i + 1] as string)) return false;
  }
  return new Set(cycle.slice(0, -1)).size === cycle.length - 1;
}
