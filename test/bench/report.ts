/** Benchmark results: what each scenario measured, printed as it finishes and written as JSON and markdown. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  figure: string;
  value: number | string;
  unit?: string;
  target?: string;
  /** Undefined when the figure has no target. */
  met?: boolean;
}

/** A table of figures by case (rows) and measure (columns), printed after the scenario's figures. */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface ScenarioResult {
  name: string;
  title: string;
  conditions: Record<string, string | number | boolean>;
  figures: Figure[];
  tables?: Table[];
  notes?: string[];
  details?: unknown;
}

export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  mode: 'quick' | 'full';
  machine: { cores: number; cpu: string; memoryGb: number; node: string; temporalSdk: string; server: string };
  scenarios: ScenarioResult[];
}

function formatValue(figure: Figure): string {
  const value = typeof figure.value === 'number' ? String(Number.isFinite(figure.value) ? figure.value : 'n/a') : figure.value;
  return figure.unit ? `${value} ${figure.unit}` : value;
}

function metCell(figure: Figure): string {
  if (figure.met === undefined) return '';
  return figure.met ? 'yes' : '**no**';
}

function conditionsLine(result: ScenarioResult): string {
  return Object.entries(result.conditions)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function cellText(value: string | number): string {
  return typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'n/a') : value;
}

/** A table as aligned plain text, numbers right-aligned. */
function textTable(table: Table, indent: string): string[] {
  const cells = [table.columns, ...table.rows.map((row) => row.map(cellText))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: string[], source?: (string | number)[]) =>
    indent + row.map((cell, c) => (typeof source?.[c] === 'number' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
  return [
    `${indent}${table.title}`,
    line(table.columns),
    indent + widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map((row, r) => line(cells[r + 1] as string[], row)),
  ];
}

export function markdownTable(table: Table): string[] {
  return [
    `| ${table.columns.join(' | ')} |`,
    `|${table.columns.map(() => '---').join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
  ];
}

export function printScenario(result: ScenarioResult): void {
  const lines = [`\n== ${result.title} ==`, `   conditions: ${conditionsLine(result)}`];
  for (const f of result.figures) {
    const target = f.target ? `   (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : '';
    lines.push(`   ${f.figure}: ${formatValue(f)}${target}`);
  }
  for (const table of result.tables ?? []) lines.push('', ...textTable(table, '   '));
  for (const note of result.notes ?? []) lines.push(`   note: ${note}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Benchmark results (${report.mode})`,
    '',
    `${report.startedAt}, ${report.durationSeconds} s; ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB; Node ${m.node}; Temporal TypeScript SDK ${m.temporalSdk}; ${m.server}.`,
    '',
    '| scenario | figure | value | target | met? |',
    '|---|---|---|---|---|',
  ];
  for (const s of report.scenarios) {
    for (const f of s.figures) lines.push(`| ${s.title} | ${f.figure} | ${formatValue(f)} | ${f.target ?? ''} | ${metCell(f)} |`);
  }
  for (const s of report.scenarios) {
    for (const table of s.tables ?? []) lines.push('', `## ${s.title}: ${table.title}`, '', ...markdownTable(table));
  }
  lines.push('', '## Conditions', '');
  for (const s of report.scenarios) {
    lines.push(`- **${s.title}**: ${conditionsLine(s)}`);
    for (const note of s.notes ?? []) lines.push(`  - ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeReport(report: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, markdown(report));
  return { json, md };
}
