/** Findings of the project's checks as GitHub check-run annotations, and their batching. */
import { stepVerdict } from '../../../src/definition/verdict';
import { CheckOutputSchema } from '../checks/content';
import { GitHubFindingSchema, type Annotation, type GitHubFinding } from './schema';
import { cutCodePoints } from './text';

/** The Checks API takes at most this many annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_TITLE = 255;
const MAX_MESSAGE = 64 * 1024 - 1;

const LEVEL = { error: 'failure', warning: 'warning', info: 'notice' } as const;

export interface PlacedFinding extends GitHubFinding {
  /** The step the finding came from, when taken from `results`. */
  step?: string;
}

/** The findings of `results` (each step's output.findings, in the file named by output.source). */
export function findingsOfResults(results: Record<string, { output?: unknown }>): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  for (const [step, result] of Object.entries(results)) {
    const output = result.output;
    if (typeof output !== 'object' || output === null || !Array.isArray((output as { findings?: unknown }).findings)) continue;
    const source = CheckOutputSchema.shape.source.safeParse((output as { source?: unknown }).source);
    const file = source.success && source.data && source.data !== 'content' ? source.data : undefined;
    for (const item of (output as { findings: unknown[] }).findings) {
      const parsed = GitHubFindingSchema.safeParse(item);
      if (!parsed.success) continue;
      const finding: PlacedFinding = { ...parsed.data, step };
      if (finding.path === undefined && file !== undefined) finding.path = file;
      out.push(finding);
    }
  }
  return out;
}

/**
 * The steps of `results` whose verdict is `found_problems` (src/definition/verdict.ts): failed, or
 * succeeded with `passed: false` or error findings. A result without a status is judged by its output.
 */
export function stepsWithProblems(results: Record<string, { status?: unknown; output?: unknown }>): string[] {
  return Object.entries(results)
    .filter(([, result]) => stepVerdict({ status: typeof result.status === 'string' ? result.status : 'succeeded', output: result.output }) === 'found_problems')
    .map(([step]) => step);
}

export function toAnnotation(finding: PlacedFinding, defaultPath: string | undefined): Annotation | undefined {
  const path = finding.path ?? defaultPath;
  if (path === undefined) return undefined;
  const startLine = finding.line;
  const endLine = Math.max(finding.endLine ?? startLine, startLine);
  const annotation: Annotation = {
    path: path.replace(/^\.\//, ''),
    start_line: startLine,
    end_line: endLine,
    annotation_level: LEVEL[finding.severity],
    message: cutCodePoints(finding.message, MAX_MESSAGE),
  };
  // GitHub takes columns only for an annotation on a single line.
  if (startLine === endLine && finding.column !== undefined) {
    annotation.start_column = finding.column;
    annotation.end_column = Math.max(finding.endColumn ?? finding.column, finding.column);
  }
  const title = finding.title ?? [finding.step, finding.rule].filter((part) => part).join(': ');
  if (title) annotation.title = cutCodePoints(title, MAX_TITLE);
  return annotation;
}

/** Splits `items` into requests of at most `size`. */
export function batches<T>(items: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Identity of an annotation as GitHub lists it back, to avoid sending it twice. */
export function annotationKey(a: {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number | null;
  end_column?: number | null;
  annotation_level: string;
  message: string;
  title?: string | null;
}): string {
  return JSON.stringify([a.path, a.start_line, a.end_line, a.start_column ?? null, a.end_column ?? null, a.annotation_level, a.message, a.title ?? '']);
}

/** `wanted` without those already on the check run (counted, so repeated annotations stay repeated). */
export function withoutPresent(wanted: readonly Annotation[], present: readonly Parameters<typeof annotationKey>[0][]): Annotation[] {
  const counts = new Map<string, number>();
  for (const a of present) {
    const key = annotationKey(a);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return wanted.filter((a) => {
    const key = annotationKey(a);
    const left = counts.get(key) ?? 0;
    if (left === 0) return true;
    counts.set(key, left - 1);
    return false;
  });
}
