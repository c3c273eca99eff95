/** Small text helpers for terminal output: durations, times, tables, progress bars, colour. */

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function progressBar(percent: number, width = 24, unicode = true): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const full = Math.round((clamped / 100) * width);
  const [on, off] = unicode ? ['█', '░'] : ['#', '-'];
  return `[${on.repeat(full)}${off.repeat(width - full)}] ${String(Math.round(clamped)).padStart(3)}%`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const STATE_COLORS: Record<string, number> = {
  completed: 32,
  succeeded: 32,
  running: 34,
  retrying: 33,
  paused: 90,
  awaiting_approval: 33,
  failed: 31,
  rejected: 31,
  cancelled: 90,
  skipped: 90,
  'found problems': 31,
};

export function paintState(state: string, color: boolean): string {
  const code = STATE_COLORS[state];
  return color && code !== undefined ? `\u001b[${code}m${state}\u001b[0m` : state;
}
