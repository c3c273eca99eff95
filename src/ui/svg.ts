/**
 * A review's DAG as SVG: boxes where the layout put them, each with the step's name, its state in words
 * and a symbol, its verdict once it has one (`⚠ found problems` in a red box even while the state says
 * `succeeded`, `✔ passed` in green; neutral draws as before), and a detail line; edges from each dependency
 * to its dependents. Each box carries `data-step` so the page can open it and update it live.
 */
import { escapeHtml } from './html';
import type { GraphLayout } from './layout';
import type { LiveStep } from './step-view';

/** Colours per state and verdict, for the page's stylesheet and for the SVG served on its own. */
export const GRAPH_CSS = `
.dag { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; }
.dag .edge { fill: none; stroke: #8a94a6; stroke-width: 1.4; }
.dag .arrow { fill: #8a94a6; }
.dag .step rect { fill: #f4f5f7; stroke: #8a94a6; stroke-width: 1.5; }
.dag .step.gate rect { stroke-dasharray: 6 3; stroke-width: 2; }
.dag .step .name { font-weight: 600; fill: #1d2330; }
.dag .step .state { fill: #1d2330; }
.dag .step .detail { fill: #4a5263; font-size: 11px; }
.dag .step { cursor: pointer; }
.dag .step:focus rect, .dag .step.selected rect { stroke: #1d2330; stroke-width: 3; }
.dag .st-pending rect { fill: #f4f5f7; }
.dag .st-scheduled rect { fill: #e8eefc; stroke: #5b7bd5; }
.dag .st-running rect { fill: #dbe6ff; stroke: #2f5bd3; }
.dag .st-retrying rect { fill: #fff1d6; stroke: #c98a00; }
.dag .st-awaiting_approval rect { fill: #fff6c2; stroke: #b58900; }
.dag .st-succeeded rect { fill: #dcf5e3; stroke: #1e8e3e; }
.dag .st-failed rect { fill: #fde2e1; stroke: #c5221f; }
.dag .st-skipped rect { fill: #eeeeee; stroke: #9aa0a6; }
.dag .st-cancelled rect { fill: #eeeeee; stroke: #5f6368; }
.dag .step .verdict { font-size: 11px; font-weight: 600; }
.dag .step.v-passed rect { fill: #dcf5e3; stroke: #1e8e3e; }
.dag .step.v-passed .verdict { fill: #137333; }
.dag .step.v-found_problems rect { fill: #fde2e1; stroke: #c5221f; }
.dag .step.v-found_problems .verdict { fill: #a50e0e; }
`;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface GraphStep extends LiveStep {
  name: string;
  kind: 'task' | 'gate';
}

/** The box's classes: its state, its verdict (none and neutral add nothing), whether it is a gate. */
export function stepBoxClass(step: { state: string; verdict?: string; kind?: 'task' | 'gate' }): string {
  const verdict = step.verdict && step.verdict !== 'neutral' ? ` v-${step.verdict}` : '';
  return `step st-${step.state}${verdict}${step.kind === 'gate' ? ' gate' : ''}`;
}

/** The SVG of the graph; `standalone` adds the XML namespace's styles so the file reads on its own. */
export function renderGraphSvg(layout: GraphLayout, steps: readonly GraphStep[], options: { standalone?: boolean; title?: string } = {}): string {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out: string[] = [];
  const w = Math.max(layout.width, 1);
  const h = Math.max(layout.height, 1);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="dag" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeHtml(options.title ?? 'review steps')}">`,
  );
  if (options.standalone) out.push(`<style>${GRAPH_CSS}</style>`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>');
  out.push('<g class="edges">');
  for (const edge of layout.edges) {
    if (edge.points.length < 2) continue;
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    out.push(`<path class="edge" d="${d}" marker-end="url(#arrow)"/>`);
  }
  out.push('</g><g class="nodes">');
  for (const node of layout.nodes) {
    const step = byId.get(node.id);
    if (!step) continue;
    const x = node.x.toFixed(1);
    const y = node.y;
    const id = escapeHtml(step.id);
    out.push(
      `<g class="${escapeHtml(stepBoxClass(step))}" data-step="${id}" data-state="${escapeHtml(step.state)}"${step.verdict ? ` data-verdict="${escapeHtml(step.verdict)}"` : ''} tabindex="0" role="button" aria-label="${escapeHtml(step.description)}">` +
        `<title>${escapeHtml(step.description)}</title>` +
        `<rect x="${x}" y="${y.toFixed(1)}" width="${node.width}" height="${node.height}" rx="8"/>` +
        `<text class="name" x="${(node.x + 10).toFixed(1)}" y="${(y + 19).toFixed(1)}">${escapeHtml(truncate(`${step.kind === 'gate' ? '⚑ ' : ''}${step.name}`, 28))}</text>` +
        `<text class="state" x="${(node.x + 10).toFixed(1)}" y="${(y + 37).toFixed(1)}">${escapeHtml(step.label)}</text>` +
        `<text class="verdict" x="${(node.x + node.width - 8).toFixed(1)}" y="${(y + 37).toFixed(1)}" text-anchor="end">${escapeHtml(step.verdictLabel)}</text>` +
        `<text class="detail" x="${(node.x + 10).toFixed(1)}" y="${(y + 54).toFixed(1)}">${escapeHtml(step.detail)}</text>` +
        '</g>',
    );
  }
  out.push('</g></svg>');
  return out.join('');
}
