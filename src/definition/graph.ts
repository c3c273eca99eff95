/**
 * The dependency graph of a pipeline's steps: order, levels, cycles, reachability, critical path.
 * Every function is iterative and linear in steps + edges, so 5,000-step chains are fine.
 */

export interface GraphNode {
  readonly id: string;
  readonly needs?: readonly string[];
}

export interface StepGraph {
  /** Step ids in declaration order (the first of duplicated ids only). */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** deps[i]: indexes of the steps step i needs (unknown needs left out, duplicates removed). */
  readonly deps: readonly (readonly number[])[];
  /** dependents[i]: indexes of the steps that need step i. */
  readonly dependents: readonly (readonly number[])[];
}

export class CycleError extends Error {
  constructor(readonly cycle: readonly string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
    this.name = 'CycleError';
  }
}

export function buildGraph(nodes: readonly GraphNode[]): StepGraph {
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  const firstOf: GraphNode[] = [];
  for (const node of nodes) {
    if (indexOf.has(node.id)) continue;
    indexOf.set(node.id, ids.length);
    ids.push(node.id);
    firstOf.push(node);
  }
  const deps: number[][] = [];
  const dependents: number[][] = ids.map(() => []);
  firstOf.forEach((node, i) => {
    const own: number[] = [];
    const seen = new Set<number>();
    for (const need of node.needs ?? []) {
      const j = indexOf.get(need);
      if (j === undefined || seen.has(j)) continue;
      seen.add(j);
      own.push(j);
      (dependents[j] as number[]).push(i);
    }
    deps.push(own);
  });
  return { ids, indexOf, deps, dependents };
}

function asGraph(input: StepGraph | readonly GraphNode[]): StepGraph {
  return Array.isArray(input) ? buildGraph(input as readonly GraphNode[]) : (input as StepGraph);
}

/** Kahn's algorithm: indexes in dependency order, or undefined when there is a cycle. */
function kahn(graph: StepGraph): { order: number[]; level: number[] } | undefined {
  const n = graph.ids.length;
  const remaining = graph.deps.map((d) => d.length);
  const level = new Array<number>(n).fill(0);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (remaining[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    const i = order[head] as number;
    for (const j of graph.dependents[i] as number[]) {
      level[j] = Math.max(level[j] as number, (level[i] as number) + 1);
      remaining[j] = (remaining[j] as number) - 1;
      if (remaining[j] === 0) order.push(j);
    }
  }
  return order.length === n ? { order, level } : undefined;
}

function throwCycle(graph: StepGraph): never {
  throw new CycleError(findCycle(graph) ?? []);
}

/** Step ids such that every step comes after the steps it needs; throws CycleError on a cycle. */
export function topologicalOrder(input: StepGraph | readonly GraphNode[]): string[] {
  const graph = asGraph(input);
  const sorted = kahn(graph) ?? throwCycle(graph);
  return sorted.order.map((i) => graph.ids[i] as string);
}

/** Steps grouped by level: level 0 needs nothing; each step sits one level below its deepest need. */
export function parallelLevels(input: StepGraph | readonly GraphNode[]): string[][] {
  const graph = asGraph(input);
  const sorted = kahn(graph) ?? throwCycle(graph);
  const levels: string[][] = [];
  graph.ids.forEach((id, i) => {
    const l = sorted.level[i] as number;
    while (levels.length <= l) levels.push([]);
    (levels[l] as string[]).push(id);
  });
  return levels;
}

/**
 * Strongly connected components with more than one step, or a step that needs itself
 * (iterative Tarjan). Each is returned as a list of indexes.
 */
function cyclicComponents(graph: StepGraph): number[][] {
  const n = graph.ids.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const work: [node: number, edge: number][] = [];
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    work.push([start, 0]);
    while (work.length > 0) {
      const frame = work[work.length - 1] as [number, number];
      const [v, edge] = frame;
      if (edge === 0 && index[v] === -1) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      const out = graph.deps[v] as number[];
      if (edge < out.length) {
        frame[1] = edge + 1;
        const w = out[edge] as number;
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] as number, low[v] as number);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.deps[v] as number[]).includes(v)) components.push(component.reverse());
      }
    }
  }
  return components;
}

/** The shortest cycle through `start` that stays inside `members`, following needs; as ids, closed. */
function cycleThrough(graph: StepGraph, start: number, members: ReadonlySet<number>): string[] {
  const previous = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const w of graph.deps[v] as number[]) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain: number[] = [];
        for (let u = v; u !== start; u = previous.get(u) as number) chain.push(u);
        chain.push(start);
        chain.reverse();
        chain.push(start);
        return chain.map((i) => graph.ids[i] as string);
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [];
}

/**
 * One real cycle per group of steps that depend on each other in a circle, following `needs`:
 * `['lint', 'report', 'lint']` means lint needs report and report needs lint.
 */
export function findCycles(input: StepGraph | readonly GraphNode[]): string[][] {
  const graph = asGraph(input);
  return cyclicComponents(graph).map((component) => cycleThrough(graph, component[0] as number, new Set(component)));
}

/** A cycle such as `['lint', 'report', 'lint']`, or undefined when the steps form a DAG. */
export function findCycle(input: StepGraph | readonly GraphNode[]): string[] | undefined {
  const graph = asGraph(input);
  if (kahn(graph)) return undefined;
  return findCycles(graph)[0];
}

function reach(graph: StepGraph, id: string, edges: readonly (readonly number[])[]): Set<string> {
  const start = graph.indexOf.get(id);
  const seen = new Set<number>();
  if (start === undefined) return new Set();
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const w of edges[v] as number[]) {
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  seen.delete(start);
  return new Set([...seen].sort((a, b) => a - b).map((i) => graph.ids[i] as string));
}

/** Every step that `id` needs, directly or transitively. */
export function upstreamOf(input: StepGraph | readonly GraphNode[], id: string): Set<string> {
  const graph = asGraph(input);
  return reach(graph, id, graph.deps);
}

/** Every step that needs `id`, directly or transitively. */
export function downstreamOf(input: StepGraph | readonly GraphNode[], id: string): Set<string> {
  const graph = asGraph(input);
  return reach(graph, id, graph.dependents);
}

/** Position of each step (by index) in a topological order, or undefined when there is a cycle. */
export function topologicalPositions(graph: StepGraph): number[] | undefined {
  const sorted = kahn(graph);
  if (!sorted) return undefined;
  const position = new Array<number>(graph.ids.length);
  sorted.order.forEach((i, p) => (position[i] = p));
  return position;
}

/**
 * Whether `ancestor` is among the transitive needs of `id` (breadth first, so near ancestors are
 * found at once). With `positions` from topologicalPositions, steps ordered before the ancestor
 * are not explored, since the ancestor cannot be upstream of them.
 */
export function dependsOn(graph: StepGraph, id: string, ancestor: string, positions?: readonly number[]): boolean {
  const from = graph.indexOf.get(id);
  const target = graph.indexOf.get(ancestor);
  if (from === undefined || target === undefined || from === target) return false;
  if ((graph.deps[from] as number[]).includes(target)) return true;
  const floor = positions ? (positions[target] as number) : -1;
  if (positions && (positions[from] as number) < floor) return false;
  const seen = new Set<number>([from]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    for (const w of graph.deps[queue[head] as number] as number[]) {
      if (w === target) return true;
      if (seen.has(w) || (positions && (positions[w] as number) < floor)) continue;
      seen.add(w);
      queue.push(w);
    }
  }
  return false;
}

export interface CriticalPath {
  /** Step ids from a first step to a last one. */
  steps: string[];
  /** Sum of the estimates along the path (in whatever unit the estimates use; 1 per step by default). */
  duration: number;
}

/** The longest chain of dependent steps, weighted by `estimates` (default 1 per step). */
export function criticalPath(input: StepGraph | readonly GraphNode[], estimates: Readonly<Record<string, number>> = {}): CriticalPath {
  const graph = asGraph(input);
  const sorted = kahn(graph) ?? throwCycle(graph);
  const n = graph.ids.length;
  const finish = new Array<number>(n).fill(0);
  const via = new Array<number>(n).fill(-1);
  const weight = (i: number): number => {
    const estimate = estimates[graph.ids[i] as string];
    return estimate !== undefined && Number.isFinite(estimate) && estimate >= 0 ? estimate : 1;
  };
  let last = -1;
  for (const i of sorted.order) {
    let start = 0;
    for (const d of graph.deps[i] as number[]) {
      if (via[i] === -1 || (finish[d] as number) > start) {
        start = finish[d] as number;
        via[i] = d;
      }
    }
    finish[i] = start + weight(i);
    if (last === -1 || (finish[i] as number) > (finish[last] as number)) last = i;
  }
  const steps: string[] = [];
  for (let i = last; i !== -1; i = via[i] as number) steps.push(graph.ids[i] as string);
  return { steps: steps.reverse(), duration: last === -1 ? 0 : (finish[last] as number) };
}
