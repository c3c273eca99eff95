/** What every content check shares: where the markdown comes from, and the shape of its findings. */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { StepError } from '../../executor';

const MAX_CONTENT_BYTES = 5 * 1024 * 1024;

export const SourceShape = {
  path: z.string().min(1).optional().describe('A markdown file, relative to the worker\'s working directory or absolute'),
  content: z.string().optional().describe('The markdown itself'),
};

export function hasOneSource(input: { path?: string | undefined; content?: string | undefined }): boolean {
  return (input.path === undefined) !== (input.content === undefined);
}
export const ONE_SOURCE = { message: 'give either `path` (a markdown file) or `content` (the markdown text)', path: ['path'] };

import type { CheckOutput, Finding, Severity } from '../../../src/definition/executor-outputs';
export { CheckOutputSchema, FindingSchema, SeveritySchema, type CheckOutput, type Finding, type Severity } from '../../../src/definition/executor-outputs';

export interface Source {
  text: string;
  /** The file path, or "content". */
  name: string;
  path?: string;
}

export async function loadSource(input: { path?: string | undefined; content?: string | undefined }): Promise<Source> {
  if (input.content !== undefined) return { text: input.content, name: 'content' };
  const path = input.path as string;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw StepError.nonRetryable(`markdown file "${path}" does not exist or is not a file`, 'ContentNotFound');
  if (info.size > MAX_CONTENT_BYTES) {
    throw StepError.nonRetryable(`markdown file "${path}" is ${info.size} bytes; the limit is ${MAX_CONTENT_BYTES}`, 'ContentTooLarge');
  }
  return { text: await readFile(path, 'utf8'), name: path, path };
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** "passed; 3 findings (1 error, 2 warnings)". */
export function summarizeCheck(output: CheckOutput): string {
  const counts = countBySeverity(output.findings);
  const parts = (['error', 'warning', 'info'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}${counts[severity] === 1 ? '' : 's'}`);
  const total = output.findings.length;
  const findings = total === 0 ? 'no findings' : `${total} finding${total === 1 ? '' : 's'} (${parts.join(', ')})`;
  return `${output.passed ? 'passed' : 'failed'}; ${findings}`;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Number.isFinite(value) ? Math.round(value * factor) / factor : 0;
}
