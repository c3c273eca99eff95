/** Turns zod's issues into ValidationIssue-shaped findings a person can act on. */
import { z } from 'zod';
import type { IssuePath } from './issues';
import { durationProblem } from './duration';
import { DURATION_PATTERN, PipelineSchema } from './schema';
import { didYouMean } from './suggest';

export interface Finding {
  path: IssuePath;
  message: string;
  hint: string;
}

type ZodIssue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

const DURATION_HINT = 'write durations like 500ms, 30s, 5m, 2h, 2d or 1h30m';
const ID_HINT = "use letters, digits, - and _, starting with a letter, at most 64 characters (e.g. 'unit-tests')";
const ACTION_EXAMPLE = '{ uses: notify, with: { ... } }';

const FIELD_HINTS: Record<string, string> = {
  priority: 'use critical, high, normal or low',
  onFailure: `write onFailure: fail, onFailure: continue, or onFailure: { fallback: ${ACTION_EXAMPLE} }`,
  onTimeout: 'use reject, approve or fail',
  backoff: 'use exponential, linear or fixed',
  type: 'use string, number, boolean, list or object',
  version: "write a version such as 1 or '1.2'",
  steps: 'list the steps under steps:, each with an id and uses (or gate)',
  approvers: "list who may decide, e.g. approvers: [alice, 'role:editor']",
  needs: 'list the ids of the steps this one waits for, e.g. needs: [lint, tests]',
  uses: 'name the executor type to run, e.g. uses: command',
  id: 'give every step a unique id',
  name: 'give the pipeline a name such as pr-review',
  with: 'write the inputs as a map, e.g. with: { key: value }',
  required: 'write the number of approvals needed, e.g. required: 2',
  timeout: 'write a duration such as 5m; on a step, an action or in defaults also { startToClose: 5m, heartbeat: 30s }',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'a map';
  return `the ${typeof value} ${String(value)}`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'a map', string: 'a string', number: 'a number', boolean: 'true or false', int: 'a whole number' };
  return names[expected] ?? expected;
}

function lastKey(path: IssuePath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

function def(schema: Schema): Record<string, unknown> & { type: string } {
  return schema._zod.def as unknown as Record<string, unknown> & { type: string };
}

function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const d = def(current);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'readonly') current = d.innerType as Schema;
    else if (d.type === 'pipe') current = d.in as Schema;
    else return current;
  }
}

/** The object schemas that may sit at `path` (more than one under a union). */
function objectsAt(path: IssuePath): Schema[] {
  let candidates: Schema[] = [PipelineSchema];
  for (const segment of path) {
    const next: Schema[] = [];
    for (const candidate of candidates) {
      const schema = unwrap(candidate);
      const d = def(schema);
      const options = d.type === 'union' ? (d.options as Schema[]).map(unwrap) : [schema];
      for (const option of options) {
        const od = def(option);
        if (od.type === 'object' && typeof segment === 'string') {
          const child = (od.shape as Record<string, Schema>)[segment];
          if (child) next.push(child);
        } else if (od.type === 'array' && typeof segment === 'number') next.push(od.element as Schema);
        else if (od.type === 'record') next.push(od.valueType as Schema);
      }
    }
    candidates = next;
  }
  const objects: Schema[] = [];
  for (const candidate of candidates) {
    const schema = unwrap(candidate);
    const d = def(schema);
    for (const option of d.type === 'union' ? (d.options as Schema[]).map(unwrap) : [schema]) {
      if (def(option).type === 'object') objects.push(option);
    }
  }
  return objects;
}

export function allowedKeysAt(path: IssuePath): string[] {
  return [...new Set(objectsAt(path).flatMap((o) => Object.keys(def(o).shape as Record<string, unknown>)))];
}

function isRootMismatch(errors: readonly ZodIssue[]): boolean {
  return errors.every((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value'));
}

function unionFindings(issue: Extract<ZodIssue, { code: 'invalid_union' }>, path: IssuePath, raw: unknown): Finding[] {
  const branches = issue.errors;
  const shaped = branches.filter((errors) => errors.length > 0 && !isRootMismatch(errors));
  if (shaped.length > 0) {
    const best = shaped.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((inner) => convertIssue(inner, path, raw));
  }
  const accepted: string[] = [];
  for (const errors of branches) {
    for (const e of errors) {
      if (e.code === 'invalid_value') accepted.push(...e.values.map((v) => `'${String(v)}'`));
      else if (e.code === 'invalid_type') accepted.push(expectedName(e.expected));
    }
  }
  const value = valueAt(raw, path as PropertyKey[]);
  const listed = accepted.length > 1 ? `${accepted.slice(0, -1).join(', ')} or ${accepted[accepted.length - 1]}` : (accepted[0] ?? 'another value');
  return [{ path, message: `expected ${listed}, got ${describe(value)}`, hint: FIELD_HINTS[lastKey(path)] ?? `use ${listed}` }];
}

function convertIssue(issue: ZodIssue, prefix: IssuePath, raw: unknown): Finding[] {
  const path: IssuePath = [...prefix, ...(issue.path as (string | number)[])];
  const key = lastKey(path);
  const value = valueAt(raw, path as PropertyKey[]);
  switch (issue.code) {
    case 'invalid_type': {
      if (path.length === 0) {
        return [{ path, message: `a pipeline must be a map, got ${describe(value)}`, hint: 'start the file with name: and steps:' }];
      }
      if (value === undefined) {
        return [{ path, message: `missing required field '${key}'`, hint: FIELD_HINTS[key] ?? `add ${key}:` }];
      }
      const expected = expectedName(issue.expected);
      let hint = FIELD_HINTS[key] ?? `change it to ${expected}`;
      if (issue.expected === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) hint = 'write the number without quotes';
      else if (issue.expected === 'array' && typeof value === 'string') hint = `write a list, e.g. [${value}]`;
      else if (issue.expected === 'boolean' && typeof value === 'string') hint = 'write true or false without quotes';
      else if (issue.expected === 'string' && value !== null && typeof value !== 'object') hint = `quote the value: '${String(value)}'`;
      else if (issue.expected === 'object' && typeof path[path.length - 1] === 'number') hint = 'each step must be a map with an id and uses (or gate)';
      return [{ path, message: `expected ${expected}, got ${describe(value)}`, hint }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((unknownKey) => ({
        path: [...path, unknownKey],
        message: `unknown field '${unknownKey}'`,
        hint: didYouMean(unknownKey, allowedKeysAt(path), 'one of'),
      }));
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      return [{ path, message: `${describe(value)} is not allowed here`, hint: didYouMean(String(value), allowed, 'one of') }];
    }
    case 'invalid_format': {
      const pattern = 'pattern' in issue ? String(issue.pattern) : '';
      if (pattern === String(DURATION_PATTERN)) {
        return [{ path, message: typeof value === 'string' ? (durationProblem(value) ?? `${describe(value)} is not a duration`) : `${describe(value)} is not a duration`, hint: DURATION_HINT }];
      }
      if (key === 'id' || key === 'name') return [{ path, message: `${describe(value)} is not a valid ${key}`, hint: ID_HINT }];
      return [{ path, message: issue.message, hint: FIELD_HINTS[key] ?? 'see src/pipelines/pipeline.schema.json' }];
    }
    case 'too_small':
      if (issue.origin === 'array') {
        return [{ path, message: `${key || 'the list'} needs at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`, hint: FIELD_HINTS[key] ?? `add an item to ${key}` }];
      }
      if (issue.origin === 'string') return [{ path, message: `${key} must not be empty`, hint: FIELD_HINTS[key] ?? `write a value for ${key}` }];
      return [{ path, message: `${String(value)} is below the minimum of ${String(issue.minimum)}`, hint: `use ${String(issue.minimum)} or more` }];
    case 'too_big':
      return [{ path, message: `${String(value)} is above the maximum of ${String(issue.maximum)}`, hint: `use ${String(issue.maximum)} or less` }];
    case 'invalid_union':
      return unionFindings(issue, path, raw);
    default:
      return [{ path, message: issue.message, hint: FIELD_HINTS[key] ?? 'see src/pipelines/pipeline.schema.json' }];
  }
}

export function schemaFindings(error: z.ZodError, raw: unknown): Finding[] {
  return error.issues.flatMap((issue) => convertIssue(issue, [], raw));
}
