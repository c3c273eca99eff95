import fc from 'fast-check';
import {
  buildGraph,
  criticalPath,
  CycleError,
  dependsOn,
  downstreamOf,
  findCycle,
  findCycles,
  parallelLevels,
  topologicalPositions,
  topologicalOrder,
  upstreamOf,
} from '../../src/definition/graph';
import { cyclicArbitrary, dagArbitrary, isRealCycle } from './arbitraries';

const review = [
  { id: 'lint' },
  { id: 'tests' },
  { id: 'build', needs: ['lint'] },
  { id: 'report', needs: ['lint', 'tests', 'build'] },
  { id: 'approve', needs: ['report'] },
  { id: 'notify', needs: ['report'] },
];

describe('order and levels', () => {
  it('orders steps after their needs and groups them into parallel levels', () => {
    expect(topologicalOrder(review)).toEqual(['lint', 'tests', 'build', 'report', 'approve', 'notify']);
    expect(parallelLevels(review)).toEqual([['lint', 'tests'], ['build'], ['report'], ['approve', 'notify']]);
  });

  it('throws CycleError naming the cycle', () => {
    const cyclic = [{ id: 'lint', needs: ['report'] }, { id: 'report', needs: ['lint'] }];
    expect(() => topologicalOrder(cyclic)).toThrow(CycleError);
    expect(() => parallelLevels(cyclic)).toThrow('dependency cycle: lint -> report -> lint');
  });

  it('ignores unknown needs and keeps the first of duplicated ids', () => {
    const graph = buildGraph([{ id: 'a', needs: ['ghost'] }, { id: 'a', needs: ['b'] }, { id: 'b', needs: ['a', 'a'] }]);
    expect(graph.ids).toEqual(['a', 'b']);
    expect(graph.deps).toEqual([[], [0]]);
  });

  it('handles a 5,000-step chain without recursion', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}`, needs: i === 0 ? [] : [`s${i - 1}`] }));
    expect(topologicalOrder(chain)[4999]).toBe('s4999');
    expect(parallelLevels(chain)).toHaveLength(5000);
    expect(criticalPath(chain).steps).toHaveLength(5000);
    expect(findCycle(chain)).toBeUndefined();
    const looped = chain.map((s) => (s.id === 's0' ? { id: 's0', needs: ['s4999'] } : s));
    const cycle = findCycle(looped);
    expect(cycle).toHaveLength(5001);
    expect(isRealCycle(looped, cycle as string[])).toBe(true);
    expect(upstreamOf(chain, 's4999').size).toBe(4999);
  });
});

describe('cycles', () => {
  it('returns a real closed cycle path', () => {
    expect(findCycle([{ id: 'lint', needs: ['report'] }, { id: 'report', needs: ['lint'] }])).toEqual(['lint', 'report', 'lint']);
    expect(findCycle([{ id: 'a', needs: ['a'] }])).toEqual(['a', 'a']);
    expect(findCycle(review)).toBeUndefined();
  });

  it('reports one cycle per independent group', () => {
    const nodes = [
      { id: 'a', needs: ['b'] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['d'] },
      { id: 'd', needs: ['e'] },
      { id: 'e', needs: ['c'] },
      { id: 'f', needs: ['a'] },
    ];
    const cycles = findCycles(nodes);
    expect(cycles).toHaveLength(2);
    for (const cycle of cycles) expect(isRealCycle(nodes, cycle)).toBe(true);
  });
});

describe('reachability and critical path', () => {
  it('finds upstream and downstream sets', () => {
    expect([...upstreamOf(review, 'report')]).toEqual(['lint', 'tests', 'build']);
    expect([...downstreamOf(review, 'lint')]).toEqual(['build', 'report', 'approve', 'notify']);
    expect(downstreamOf(review, 'nope').size).toBe(0);
    const graph = buildGraph(review);
    expect(dependsOn(graph, 'approve', 'lint')).toBe(true);
    expect(dependsOn(graph, 'lint', 'approve')).toBe(false);
  });

  it('computes the critical path, by step count or by estimates', () => {
    expect(criticalPath(review)).toEqual({ steps: ['lint', 'build', 'report', 'approve'], duration: 4 });
    const weighted = criticalPath(review, { tests: 100, lint: 1, build: 1, report: 5, notify: 10, approve: 1 });
    expect(weighted).toEqual({ steps: ['tests', 'report', 'notify'], duration: 115 });
    expect(criticalPath([])).toEqual({ steps: [], duration: 0 });
  });
});

describe('properties over random DAGs', () => {
  it('never orders a step before one of its needs', () => {
    fc.assert(
      fc.property(dagArbitrary(), ({ nodes }) => {
        const order = topologicalOrder(nodes);
        expect(order).toHaveLength(nodes.length);
        const position = new Map(order.map((id, i) => [id, i]));
        for (const node of nodes) {
          for (const need of node.needs) expect(position.get(need) as number).toBeLessThan(position.get(node.id) as number);
        }
        const level = new Map(parallelLevels(nodes).flatMap((ids, l) => ids.map((id) => [id, l] as const)));
        for (const node of nodes) for (const need of node.needs) expect(level.get(need) as number).toBeLessThan(level.get(node.id) as number);
        expect(findCycle(nodes)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('the critical path is a real dependency chain at least as long as any level count', () => {
    fc.assert(
      fc.property(dagArbitrary(), ({ nodes }) => {
        const path = criticalPath(nodes);
        expect(path.duration).toBe(parallelLevels(nodes).length);
        const byId = new Map(nodes.map((n) => [n.id, n]));
        for (let i = 1; i < path.steps.length; i++) expect(byId.get(path.steps[i] as string)?.needs).toContain(path.steps[i - 1]);
      }),
      { numRuns: 200 },
    );
  });

  it('finds every injected cycle and reports real cycles', () => {
    fc.assert(
      fc.property(cyclicArbitrary(), ({ nodes, cycles }) => {
        const found = findCycles(nodes);
        expect(found.length).toBeGreaterThan(0);
        for (const cycle of found) expect(isRealCycle(nodes, cycle)).toBe(true);
        const first = findCycle(nodes);
        expect(first && isRealCycle(nodes, first)).toBe(true);
        const sameGroup = (a: string, b: string): boolean => a === b || (upstreamOf(nodes, a).has(b) && upstreamOf(nodes, b).has(a));
        for (const injected of cycles) {
          expect(found.some((cycle) => cycle.some((id) => sameGroup(id, injected[0] as string)))).toBe(true);
        }
        expect(() => topologicalOrder(nodes)).toThrow(CycleError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('dependsOn', () => {
  it('agrees with upstreamOf, with and without topological pruning', () => {
    fc.assert(
      fc.property(dagArbitrary(25), fc.nat(), fc.nat(), ({ nodes }, a, b) => {
        const graph = buildGraph(nodes);
        const from = nodes[a % nodes.length]!.id;
        const to = nodes[b % nodes.length]!.id;
        const expected = upstreamOf(nodes, from).has(to);
        expect(dependsOn(graph, from, to)).toBe(expected);
        expect(dependsOn(graph, from, to, topologicalPositions(graph))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
