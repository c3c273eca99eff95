/**
 * Findings read from a tool's output lines, in the two formats most linters, scanners and compilers can
 * print: `path:line[:column]: [error|warning|note:] message` (gcc, eslint --format unix, ruff, many
 * scripts) and tsc's `path(line,column): error TS2322: message`. Paths are made relative to the
 * working directory; a line naming a file outside it cannot be placed in the repository and is skipped.
 */
import { isAbsolute, relative } from 'node:path';
import type { Severity } from '../executors/checks/content';

export interface OutputFinding {
  path: string;
  line: number;
  column?: number;
  rule: string;
  message: string;
  severity: Severity;
}

/** More than this many findings in one output are counted but not kept. */
export const MAX_OUTPUT_FINDINGS = 1000;

const GCC = /^(?<path>[^\s:()'"`][^\s:()'"`]*):(?<line>\d+)(?::(?<column>\d+))?:\s+(?<rest>\S.*)$/;
const TSC = /^(?<path>[^\s:()'"`][^\s:()'"`]*)\((?<line>\d+),(?<column>\d+)\):\s+(?<rest>\S.*)$/;
const LEVEL = /^(?<level>error|warning|warn|note|info)(?:\s+(?<rule>[A-Za-z][\w-]*\d*))?\s*:\s*(?<message>\S.*)$/i;

function severityOf(level: string | undefined): Severity {
  const l = (level ?? 'error').toLowerCase();
  return l === 'warning' || l === 'warn' ? 'warning' : l === 'note' || l === 'info' ? 'info' : 'error';
}

/** One finding from `text`, or undefined when the line is not in a known format (or names a file outside `cwd`). */
export function parseFindingLine(text: string, cwd?: string): OutputFinding | undefined {
  // Colour codes would hide the format from the patterns.
  const line = text.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
  const match = TSC.exec(line) ?? GCC.exec(line);
  const groups = match?.groups;
  if (!groups?.path || !groups.line || !groups.rest) return undefined;
  let path = groups.path;
  // `Error:12: ...`, `localhost:8080: ...`: a bare word (no directory, no extension) is not a file the tool looked at.
  if (!/[./]/.test(path)) return undefined;
  if (isAbsolute(path)) {
    if (!cwd) return undefined;
    const inside = relative(cwd, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
    path = inside;
  }
  path = path.replace(/^\.\//, '');
  if (path.startsWith('../')) return undefined;
  const lineNo = Number(groups.line);
  if (!Number.isSafeInteger(lineNo) || lineNo < 1) return undefined;
  const column = groups.column !== undefined ? Number(groups.column) : undefined;
  const level = LEVEL.exec(groups.rest)?.groups;
  return {
    path,
    line: lineNo,
    ...(column !== undefined && column >= 1 ? { column } : {}),
    rule: level?.rule ?? '',
    message: level?.message ?? groups.rest,
    severity: severityOf(level?.level),
  };
}

/** Collects the findings of the lines it is given, keeping at most `max`. */
export class FindingCollector {
  readonly findings: OutputFinding[] = [];
  private seen = 0;

  constructor(
    private readonly cwd: string | undefined,
    private readonly max = MAX_OUTPUT_FINDINGS,
  ) {}

  push(line: string): void {
    const finding = parseFindingLine(line, this.cwd);
    if (!finding) return;
    this.seen += 1;
    if (this.findings.length < this.max) this.findings.push(finding);
  }

  /** Findings seen but not kept. */
  get dropped(): number {
    return this.seen - this.findings.length;
  }
}
