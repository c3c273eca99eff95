/**
 * Where each step of a review sits in its drawing: a layered (Sugiyama) layout by elkjs, dependencies
 * left to right. A review's shape never changes while it runs, so a layout is computed once per shape
 * and kept (bounded), and live updates only change what each box says.
 */
import { createHash } from 'node:crypto';
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

export interface GraphNode {
  id: string;
  needs: readonly string[];
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** Polyline points from the dependency to the dependent. */
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** How long elkjs took (0 when the layout came from the cache). */
  computedMs: number;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '20',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

const elk = new ELK();

/** Lays out the steps; dependencies on ids that are not in the graph are left out. */
export async function layoutGraph(nodes: readonly GraphNode[]): Promise<GraphLayout> {
  const started = performance.now();
  const known = new Set(nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: '__root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: nodes.flatMap((n) => n.needs.filter((need) => known.has(need)).map((need) => ({ id: `${need}->${n.id}`, sources: [need], targets: [n.id] }))),
  };
  const laid = await elk.layout(graph);
  const placed: PlacedNode[] = (laid.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? NODE_WIDTH, height: c.height ?? NODE_HEIGHT }));
  const edges: PlacedEdge[] = (laid.edges ?? []).map((e) => {
    const section = e.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    return { from: e.sources[0] as string, to: e.targets[0] as string, points };
  });
  return { width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes: placed, edges, computedMs: Math.round(performance.now() - started) };
}

/** A fingerprint of a graph's shape: same steps, same dependencies, same layout. */
export function shapeOf(nodes: readonly GraphNode[]): string {
  const hash = createHash('sha256');
  for (const n of nodes) hash.update(`${n.id}<${n.needs.join(',')};`);
  return hash.digest('base64url');
}

/** Layouts by shape, the least recently used dropped past `limit`; one computation per shape at a time. */
export class LayoutCache {
  private readonly entries = new Map<string, Promise<GraphLayout>>();

  constructor(private readonly limit = 64) {}

  get(nodes: readonly GraphNode[]): Promise<GraphLayout> {
    const key = shapeOf(nodes);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.then((layout) => ({ ...layout, computedMs: 0 }));
    }
    const computing = layoutGraph(nodes);
    this.entries.set(key, computing);
    computing.catch(() => this.entries.delete(key));
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return computing;
  }
}
