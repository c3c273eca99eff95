/** A review's graph, drawn: the layout (kept per shape) and the SVG of the steps' current states. */
import type { ReviewStatus } from '../../workflows/types';
import type { LayoutCache } from './layout';
import { liveStep } from './step-view';
import { renderGraphSvg, type GraphStep } from './svg';

export function graphSteps(status: ReviewStatus): GraphStep[] {
  return status.steps.map((s) => ({ ...liveStep(s), name: s.name ?? s.id, kind: s.kind }));
}

export async function reviewGraphSvg(status: ReviewStatus, layouts: LayoutCache, options: { standalone?: boolean } = {}): Promise<{ svg: string; layoutMs: number }> {
  const layout = await layouts.get(status.steps.map((s) => ({ id: s.id, needs: s.needs })));
  const svg = renderGraphSvg(layout, graphSteps(status), { ...options, title: `steps of review ${status.reviewId}` });
  return { svg, layoutMs: layout.computedMs };
}
