/**
 * The only checks the workflow makes of its definition: the shape the interpreter relies on, which
 * never changes for a running review. Everything else (expressions, params, executors, quorums) is
 * validated once, before the review starts, by the client; a stricter validator shipped later can
 * then never fail a review already running. Pure code.
 */
import { isDuration } from '../src/definition/duration';
import { buildGraph, findCycle } from '../src/definition/graph';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function durationProblems(where: string, value: unknown, keys: readonly string[]): string[] {
  // `timeout: 5m`, the shorthand of { startToClose: 5m }, in a definition that did not go through the schema.
  if (typeof value === 'string' && keys.includes('startToClose')) return durationProblems(where, { startToClose: value }, keys);
  if (!isObject(value)) return [];
  return keys
    .filter((k) => value[k] !== undefined && !(typeof value[k] === 'string' && isDuration((value[k] as string).trim())))
    .map((k) => `${where}.${k}: ${JSON.stringify(value[k])} is not a duration (write it like 30s, 5m, 2h or 2d)`);
}

function actionProblems(where: string, action: unknown): string[] {
  if (action === undefined) return [];
  if (!isObject(action) || typeof action.uses !== 'string') return [`${where}: expected an action with "uses"`];
  return [
    ...durationProblems(`${where}.retry`, action.retry, ['initialInterval', 'maxInterval']),
    ...durationProblems(`${where}.timeout`, action.timeout, ['startToClose', 'scheduleToClose', 'heartbeat', 'scheduleToStart']),
  ];
}

function stepProblems(step: unknown, i: number, ids: Set<string>): string[] {
  const where = `steps[${i}]`;
  if (!isObject(step) || typeof step.id !== 'string' || step.id === '') return [`${where}: expected a step with an "id"`];
  const at = `step ${step.id}`;
  const problems: string[] = [];
  if (ids.has(step.id)) problems.push(`${at}: the id is used twice`);
  ids.add(step.id);
  if (step.needs !== undefined && !(Array.isArray(step.needs) && step.needs.every((n) => typeof n === 'string'))) {
    problems.push(`${at}: "needs" must be a list of step ids`);
  }
  if (isObject(step.gate)) {
    const gate = step.gate;
    if (!Array.isArray(gate.approvers) || gate.approvers.length === 0) problems.push(`${at}: a gate needs approvers`);
    problems.push(...durationProblems(`${at}.gate`, gate, ['deadline']));
    if (gate.reminders !== undefined && !(Array.isArray(gate.reminders) && gate.reminders.every((r) => typeof r === 'string' && isDuration(r.trim())))) {
      problems.push(`${at}.gate.reminders: expected a list of durations`);
    }
    problems.push(...actionProblems(`${at}.gate.remind`, gate.remind), ...actionProblems(`${at}.gate.escalate`, gate.escalate));
  } else if (typeof step.uses !== 'string') {
    problems.push(`${at}: expected "uses" (an executor) or "gate"`);
  }
  problems.push(
    ...durationProblems(`${at}.retry`, step.retry, ['initialInterval', 'maxInterval']),
    ...durationProblems(`${at}.timeout`, step.timeout, ['startToClose', 'scheduleToClose', 'heartbeat', 'scheduleToStart']),
    ...actionProblems(`${at}.undo`, step.undo),
  );
  if (isObject(step.onFailure)) problems.push(...actionProblems(`${at}.onFailure.fallback`, step.onFailure.fallback));
  return problems;
}

/** What makes `definition` impossible to interpret, one problem per line; empty when it can run. */
export function structuralProblems(definition: unknown): string[] {
  if (!isObject(definition)) return ['the pipeline definition must be an object (was it validated and parsed by the client?)'];
  if (typeof definition.name !== 'string') return ['the pipeline definition has no name'];
  if (!Array.isArray(definition.steps) || definition.steps.length === 0) return ['the pipeline definition has no steps'];
  const ids = new Set<string>();
  const problems = definition.steps.flatMap((step, i) => stepProblems(step, i, ids));
  problems.push(
    ...durationProblems('pipeline', definition, ['timeout']),
    ...durationProblems('defaults.retry', isObject(definition.defaults) ? definition.defaults.retry : undefined, ['initialInterval', 'maxInterval']),
    ...durationProblems('defaults.timeout', isObject(definition.defaults) ? definition.defaults.timeout : undefined, ['startToClose', 'scheduleToClose', 'heartbeat', 'scheduleToStart']),
  );
  if (definition.maxParallel !== undefined && !(typeof definition.maxParallel === 'number' && definition.maxParallel >= 1)) {
    problems.push('maxParallel: expected a number of at least 1');
  }
  if (problems.length > 0) return problems;
  const steps = definition.steps as { id: string; needs?: string[] }[];
  steps.forEach((step, i) =>
    (step.needs ?? []).forEach((need, j) => {
      if (!ids.has(need)) problems.push(`steps[${i}].needs[${j}]: step ${step.id} needs ${need}, which is not a step of this pipeline`);
    }),
  );
  const cycle = problems.length === 0 ? findCycle(buildGraph(steps)) : undefined;
  if (cycle) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);
  return problems;
}
