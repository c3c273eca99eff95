// Workflow interceptor of the instrumented test bundle (runs inside the workflow sandbox).
// After every activation it sends the istanbul counters that moved since the previous activation
// through the `workflowCoverage` sink and zeroes them. Only counters travel: the static part of the
// coverage data (statement maps, source maps) is read from the bundle when it is built.
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** Counters that moved, by instrumented file: statement, function and branch hits. */
export interface WorkflowCoverageHits {
  [path: string]: { s: Record<string, number>; f: Record<string, number>; b: Record<string, number[]> };
}

export interface WorkflowCoverageSinks extends Sinks {
  workflowCoverage: { hits(hits: WorkflowCoverageHits): void };
}

interface FileCounters {
  s: Record<string, number>;
  f: Record<string, number>;
  b: Record<string, number[]>;
}

const { workflowCoverage } = proxySinks<WorkflowCoverageSinks>();

function takeCounters(counters: Record<string, number>): Record<string, number> | undefined {
  let moved: Record<string, number> | undefined;
  for (const id in counters) {
    const n = counters[id];
    if (n) {
      (moved ??= {})[id] = n;
      counters[id] = 0;
    }
  }
  return moved;
}

function takeBranches(branches: Record<string, number[]>): Record<string, number[]> | undefined {
  let moved: Record<string, number[]> | undefined;
  for (const id in branches) {
    const arms = branches[id]!;
    if (arms.some((n) => n !== 0)) {
      (moved ??= {})[id] = arms.slice();
      arms.fill(0);
    }
  }
  return moved;
}

function takeHits(): WorkflowCoverageHits | undefined {
  const coverage = (globalThis as { __workflowCoverage__?: Map<string, FileCounters> }).__workflowCoverage__;
  if (!coverage) return undefined;
  let hits: WorkflowCoverageHits | undefined;
  for (const [path, file] of coverage) {
    const s = takeCounters(file.s);
    const f = takeCounters(file.f);
    const b = takeBranches(file.b);
    if (s || f || b) (hits ??= {})[path] = { s: s ?? {}, f: f ?? {}, b: b ?? {} };
  }
  return hits;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        const hits = takeHits();
        if (hits) workflowCoverage.hits(hits);
        return next(input);
      },
    },
  ],
});
