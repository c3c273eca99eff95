/**
 * Drawing a pipeline as Mermaid, Graphviz DOT or terminal text, optionally with each step's live
 * state (succeeded, running, failed, pending, skipped, awaiting_approval, ...). Gates are drawn
 * as hexagons (Mermaid, DOT) or marked «gate» (text; <gate> in plain ASCII).
 */
import { parallelLevels } from './graph';
import { isGate, type Pipeline, type Step } from './schema';

export type StepStates = Readonly<Record<string, string | undefined>>;

interface StateStyle {
  unicode: string;
  ascii: string;
  fill: string;
  stroke: string;
  ansi: number;
}

export const STATE_STYLES: Readonly<Record<string, StateStyle>> = {
  pending: { unicode: '·', ascii: '[ ]', fill: '#f5f5f5', stroke: '#9e9e9e', ansi: 90 },
  scheduled: { unicode: '○', ascii: '[~]', fill: '#e3f2fd', stroke: '#90caf9', ansi: 36 },
  running: { unicode: '▶', ascii: '[>]', fill: '#bbdefb', stroke: '#1e88e5', ansi: 34 },
  retrying: { unicode: '↻', ascii: '[r]', fill: '#ffe0b2', stroke: '#fb8c00', ansi: 33 },
  awaiting_approval: { unicode: '⏸', ascii: '[?]', fill: '#fff9c4', stroke: '#fbc02d', ansi: 33 },
  paused: { unicode: '‖', ascii: '[=]', fill: '#eeeeee', stroke: '#757575', ansi: 90 },
  succeeded: { unicode: '✔', ascii: '[v]', fill: '#c8e6c9', stroke: '#43a047', ansi: 32 },
  failed: { unicode: '✘', ascii: '[x]', fill: '#ffcdd2', stroke: '#e53935', ansi: 31 },
  rejected: { unicode: '⊗', ascii: '[!]', fill: '#ffcdd2', stroke: '#b71c1c', ansi: 31 },
  timed_out: { unicode: '⌛', ascii: '[t]', fill: '#ffcdd2', stroke: '#e53935', ansi: 31 },
  cancelled: { unicode: '⊘', ascii: '[c]', fill: '#e0e0e0', stroke: '#616161', ansi: 90 },
  skipped: { unicode: '⤼', ascii: '[-]', fill: '#fafafa', stroke: '#bdbdbd', ansi: 90 },
};
const UNKNOWN_STYLE: StateStyle = { unicode: '•', ascii: '[*]', fill: '#ffffff', stroke: '#9e9e9e', ansi: 0 };

function styleOf(state: string | undefined): StateStyle {
  return (state !== undefined ? STATE_STYLES[state] : undefined) ?? UNKNOWN_STYLE;
}

function cssClass(state: string): string {
  return state.replace(/[^A-Za-z0-9_]/g, '_');
}

function describeStep(step: Step): string {
  if (isGate(step)) return `gate: ${step.gate.required ?? 1} of ${step.gate.approvers.join(', ')}`;
  return step.uses ?? '';
}

/** Mermaid flowchart (top to bottom); with `states`, each step gets a class named after its state. */
export function renderMermaid(pipeline: Pipeline, states?: StepStates): string {
  const nodeId = new Map(pipeline.steps.map((s, i) => [s.id, `n${i}`]));
  const escape = (text: string): string => text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const lines = ['flowchart TD'];
  const used = new Set<string>();
  for (const step of pipeline.steps) {
    const state = states?.[step.id];
    const marker = state !== undefined ? `${styleOf(state).unicode} ` : '';
    const label = `"${escape(`${marker}${step.name ?? step.id}`)}<br/><small>${escape(describeStep(step))}${state !== undefined ? ` · ${escape(state)}` : ''}</small>"`;
    const shape = isGate(step) ? `{{${label}}}` : `[${label}]`;
    const klass = state !== undefined ? `:::${cssClass(state)}` : isGate(step) ? ':::gate' : '';
    if (state !== undefined) used.add(state);
    lines.push(`  ${nodeId.get(step.id) as string}${shape}${klass}`);
  }
  for (const step of pipeline.steps) {
    for (const need of step.needs ?? []) {
      const from = nodeId.get(need);
      if (from) lines.push(`  ${from} --> ${nodeId.get(step.id) as string}`);
    }
  }
  if (states === undefined) lines.push('  classDef gate fill:#fff9c4,stroke:#fbc02d');
  for (const state of used) {
    const style = styleOf(state);
    lines.push(`  classDef ${cssClass(state)} fill:${style.fill},stroke:${style.stroke}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Graphviz DOT digraph; with `states`, steps are filled with their state's colour. */
export function renderDot(pipeline: Pipeline, states?: StepStates): string {
  const lines = [
    `digraph ${dotString(pipeline.name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
  ];
  for (const step of pipeline.steps) {
    const state = states?.[step.id];
    const style = state !== undefined ? styleOf(state) : undefined;
    const marker = style ? `${style.unicode} ` : '';
    const label = `${marker}${step.name ?? step.id}\n${describeStep(step)}${state !== undefined ? `\n${state}` : ''}`;
    const attributes = [`label=${dotString(label)}`];
    if (isGate(step)) attributes.push('shape=hexagon', 'style="filled"');
    if (style) attributes.push(`fillcolor="${style.fill}"`, `color="${style.stroke}"`);
    else if (isGate(step)) attributes.push('fillcolor="#fff9c4"');
    if (state !== undefined) attributes.push(`class=${dotString(cssClass(state))}`);
    lines.push(`  ${dotString(step.id)} [${attributes.join(', ')}];`);
  }
  for (const step of pipeline.steps) {
    for (const need of step.needs ?? []) lines.push(`  ${dotString(need)} -> ${dotString(step.id)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export interface AsciiOptions {
  /** `unicode` (default) draws ✔ ✘ ▶; `ascii` draws [v] [x] [>]. */
  symbols?: 'unicode' | 'ascii';
  /** Colour each state with ANSI escapes. */
  color?: boolean;
}

/** Terminal drawing: the parallel levels top to bottom, each step with its state marker and its needs. */
export function renderAscii(pipeline: Pipeline, states?: StepStates, options: AsciiOptions = {}): string {
  const byId = new Map(pipeline.steps.map((s) => [s.id, s]));
  const levels = parallelLevels(pipeline.steps);
  const width = Math.max(...pipeline.steps.map((s) => s.id.length));
  const kindWidth = Math.max(...pipeline.steps.map((s) => (isGate(s) ? 6 : (s.uses ?? '').length)));
  const stateWidth = states ? Math.max(0, ...pipeline.steps.map((s) => (states[s.id] ?? 'pending').length)) : 0;
  const plain = options.symbols === 'ascii';
  const paint = (text: string, code: number): string => (options.color && code > 0 ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out = [`${pipeline.name} (${pipeline.steps.length} step${pipeline.steps.length === 1 ? '' : 's'}, ${levels.length} level${levels.length === 1 ? '' : 's'})`];
  levels.forEach((level, l) => {
    out.push(`level ${l + 1}${level.length > 1 ? ` (${level.length} in parallel)` : ''}`);
    for (const id of level) {
      const step = byId.get(id) as Step;
      const state = states ? (states[id] ?? 'pending') : undefined;
      const style = styleOf(state ?? 'pending');
      const marker = state === undefined ? (plain ? '[ ]' : '·') : plain ? style.ascii : style.unicode;
      const kind = (isGate(step) ? (plain ? '<gate>' : '«gate»') : (step.uses ?? '')).padEnd(kindWidth);
      const stateText = state !== undefined ? `  ${paint(state.padEnd(stateWidth), style.ansi)}` : '';
      const needs = step.needs && step.needs.length > 0 ? `  ${plain ? '<-' : '←'} ${step.needs.join(', ')}` : '';
      out.push(`  ${paint(marker, state !== undefined ? style.ansi : 0)} ${id.padEnd(width)}  ${kind}${stateText}${needs}`.trimEnd());
    }
  });
  return `${out.join('\n')}\n`;
}
