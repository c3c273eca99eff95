/**
 * Execution planning over a pipeline: order, parallel levels, critical path, readiness of each
 * step given the statuses so far, and what a failure or a false condition would skip.
 *
 * Readiness rule (the one the review workflow applies): a step runs once every step it needs has
 * succeeded. It is skipped as soon as a need ended any other way (failed, even with
 * `onFailure: continue`, skipped, cancelled, rejected, timed out). Its `if:` is evaluated only then.
 * `onFailure: continue` keeps the review going; it does not unblock the steps that need the failed one.
 * A step whose `if:` uses a status function (success(), failure(), always(), cancelled()) is never
 * skipped for its needs: it runs (its condition is evaluated) once every need has finished, however.
 */
import { conditionUsesStatusFunction } from './expressions';
import { buildGraph, criticalPath, parallelLevels, topologicalOrder, type CriticalPath, type StepGraph } from './graph';
import type { Pipeline, Step } from './schema';
import { toleratesFailure } from './settings';

export const SUCCESS_STATUSES: readonly string[] = ['succeeded'];
export const FAILURE_STATUSES: readonly string[] = ['failed', 'cancelled', 'rejected', 'timed_out'];
export const SKIPPED_STATUSES: readonly string[] = ['skipped'];

export function isFinishedStatus(status: string | undefined): boolean {
  return status !== undefined && (SUCCESS_STATUSES.includes(status) || FAILURE_STATUSES.includes(status) || SKIPPED_STATUSES.includes(status));
}

interface Indexed {
  graph: StepGraph;
  steps: Map<string, Step>;
}
const cache = new WeakMap<Pipeline, Indexed>();

function indexed(pipeline: Pipeline): Indexed {
  let entry = cache.get(pipeline);
  if (!entry) {
    const steps = new Map<string, Step>();
    for (const step of pipeline.steps) if (!steps.has(step.id)) steps.set(step.id, step);
    entry = { graph: buildGraph(pipeline.steps), steps };
    cache.set(pipeline, entry);
  }
  return entry;
}

export function pipelineGraph(pipeline: Pipeline): StepGraph {
  return indexed(pipeline).graph;
}

export interface ExecutionPlan {
  order: string[];
  levels: string[][];
  criticalPath: CriticalPath;
  /** Steps that need nothing. */
  roots: string[];
  /** Steps nothing needs. */
  leaves: string[];
  gates: string[];
}

export interface PlanOptions {
  /** Expected duration of steps by id (any unit, typically ms); steps without one count 1. */
  estimates?: Readonly<Record<string, number>>;
}

/** The plan of a valid pipeline; throws CycleError when its needs form a cycle. */
export function planPipeline(pipeline: Pipeline, options: PlanOptions = {}): ExecutionPlan {
  const { graph } = indexed(pipeline);
  return {
    order: topologicalOrder(graph),
    levels: parallelLevels(graph),
    criticalPath: criticalPath(graph, options.estimates),
    roots: graph.ids.filter((_, i) => (graph.deps[i] as number[]).length === 0),
    leaves: graph.ids.filter((_, i) => (graph.dependents[i] as number[]).length === 0),
    gates: pipeline.steps.filter((s) => s.gate !== undefined).map((s) => s.id),
  };
}

export type Readiness = 'wait' | 'run' | 'skip';

/** Whether `stepId` can run now, must wait, or must be skipped, given the statuses of its needs. */
export function stepReadiness(pipeline: Pipeline, stepId: string, statusOf: (id: string) => string | undefined): Readiness {
  const { graph, steps } = indexed(pipeline);
  const index = graph.indexOf.get(stepId);
  if (index === undefined) throw new Error(`unknown step '${stepId}' in pipeline '${pipeline.name}'`);
  const anyOutcome = conditionUsesStatusFunction(steps.get(stepId)?.if);
  let waiting = false;
  for (const d of graph.deps[index] as number[]) {
    const needId = graph.ids[d] as string;
    const status = statusOf(needId);
    if (status !== undefined && SUCCESS_STATUSES.includes(status)) continue;
    if (isFinishedStatus(status)) {
      if (anyOutcome) continue;
      return 'skip';
    }
    waiting = true;
  }
  return waiting ? 'wait' : 'run';
}

/** Steps without a finished or active status that can start now, and those to mark skipped, in plan order. */
export function nextSteps(pipeline: Pipeline, statuses: Readonly<Record<string, string | undefined>>): { run: string[]; skip: string[] } {
  const { graph } = indexed(pipeline);
  const run: string[] = [];
  const skip: string[] = [];
  const statusOf = (id: string): string | undefined => statuses[id];
  for (const id of graph.ids) {
    const status = statuses[id];
    if (status !== undefined && status !== 'pending') continue;
    const readiness = stepReadiness(pipeline, id, statusOf);
    if (readiness === 'run') run.push(id);
    else if (readiness === 'skip') skip.push(id);
  }
  return { run, skip };
}

export interface SkipImpact {
  /** Steps that would not run. */
  skipped: string[];
  /** Whether the review itself would fail (the step fails and does not tolerate failure). */
  reviewFails: boolean;
}

/**
 * What happens downstream if `stepId` fails (after its retries and fallback) or is skipped by its
 * condition. Steps whose `if:` uses a status function are not counted as skipped: their condition decides.
 */
export function impactOf(pipeline: Pipeline, stepId: string, outcome: 'failed' | 'skipped'): SkipImpact {
  const { graph, steps } = indexed(pipeline);
  const start = graph.indexOf.get(stepId);
  if (start === undefined) throw new Error(`unknown step '${stepId}' in pipeline '${pipeline.name}'`);
  const order = topologicalOrder(graph);
  const position = new Map(order.map((id, i) => [id, i]));
  const status = new Map<string, string>([[stepId, outcome]]);
  const downstream: number[] = [];
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const w of graph.dependents[stack.pop() as number] as number[]) {
      if (!seen.has(w)) {
        seen.add(w);
        stack.push(w);
        downstream.push(w);
      }
    }
  }
  downstream.sort((a, b) => (position.get(graph.ids[a] as string) as number) - (position.get(graph.ids[b] as string) as number));
  const skipped: string[] = [];
  for (const i of downstream) {
    const id = graph.ids[i] as string;
    const readiness = stepReadiness(pipeline, id, (need) => status.get(need) ?? 'succeeded');
    if (readiness === 'skip') {
      status.set(id, 'skipped');
      skipped.push(id);
    }
  }
  const failingStep = steps.get(stepId) as Step;
  return { skipped, reviewFails: outcome === 'failed' && !toleratesFailure(pipeline, failingStep) };
}
