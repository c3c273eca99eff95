/** Instantiating a pipeline's params with values: defaults, coercion of CLI strings, type and enum checks. */
import { formatPath, PipelineValidationError, type ValidationIssue } from './issues';
import type { ParamSpec, Pipeline } from './schema';
import { didYouMean } from './suggest';

export type ParamValues = Record<string, unknown>;
export type ParamsResult = { ok: true; params: ParamValues } | { ok: false; issues: ValidationIssue[] };

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

type Coerced = { ok: true; value: unknown } | { ok: false; message: string; hint: string };

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function coerce(name: string, spec: ParamSpec, value: unknown): Coerced {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (spec.type) {
    case 'string':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      break;
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (text !== undefined && text !== '' && Number.isFinite(Number(text))) return { ok: true, value: Number(text) };
      return { ok: false, message: `param '${name}' must be a number, got ${describe(value)}`, hint: `pass a number, e.g. --param ${name}=3` };
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (text !== undefined && TRUE_WORDS.has(text.toLowerCase())) return { ok: true, value: true };
      if (text !== undefined && FALSE_WORDS.has(text.toLowerCase())) return { ok: true, value: false };
      return { ok: false, message: `param '${name}' must be true or false, got ${describe(value)}`, hint: `pass --param ${name}=true or --param ${name}=false` };
    case 'list':
      if (Array.isArray(value)) return { ok: true, value };
      if (text !== undefined) {
        if (text.startsWith('[')) {
          const parsed = parseJson(text);
          if (Array.isArray(parsed)) return { ok: true, value: parsed };
          return { ok: false, message: `param '${name}' looks like a JSON list but does not parse`, hint: `pass a JSON list such as ["a","b"] or comma-separated values: --param ${name}=a,b` };
        }
        return { ok: true, value: text === '' ? [] : text.split(',').map((item) => item.trim()) };
      }
      return { ok: false, message: `param '${name}' must be a list, got ${describe(value)}`, hint: `pass comma-separated values (--param ${name}=a,b) or a JSON list` };
    case 'object':
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value };
      if (text !== undefined) {
        const parsed = parseJson(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { ok: true, value: parsed };
      }
      return { ok: false, message: `param '${name}' must be an object, got ${describe(value)}`, hint: `pass a JSON object, e.g. --param '${name}={"key":"value"}'` };
  }
  return { ok: false, message: `param '${name}' must be a ${spec.type}, got ${describe(value)}`, hint: `pass a ${spec.type}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The params of one review: declared defaults applied, CLI strings coerced to each param's type
 * (`n=3` → 3, `strict=yes` → true, `tags=a,b` → ['a','b'], JSON lists and objects), and missing,
 * unknown, mistyped or disallowed values rejected. Optional params without a value are left out.
 */
export function resolveParams(pipeline: Pick<Pipeline, 'params'>, values: Readonly<Record<string, unknown>> = {}): ParamsResult {
  const specs = pipeline.params ?? {};
  const names = Object.keys(specs);
  const issues: ValidationIssue[] = [];
  const params: ParamValues = {};
  for (const name of Object.keys(values)) {
    if (!Object.prototype.hasOwnProperty.call(specs, name)) {
      issues.push({
        path: formatPath(['params', name]),
        message: `unknown param '${name}'`,
        hint: names.length === 0 ? 'this pipeline declares no params' : didYouMean(name, names, 'one of'),
      });
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const path = formatPath(['params', name]);
    const given = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    const value = given !== undefined ? given : spec.default;
    if (value === undefined) {
      if (spec.required) {
        issues.push({ path, message: `missing required param '${name}'${spec.description ? ` (${spec.description})` : ''}`, hint: `pass --param ${name}=<${spec.type}>` });
      }
      continue;
    }
    const coerced = coerce(name, spec, value);
    if (!coerced.ok) {
      issues.push({ path, message: coerced.message, hint: coerced.hint });
      continue;
    }
    if (spec.enum && !spec.enum.some((option) => option === coerced.value)) {
      const options = spec.enum.map((o) => String(o));
      issues.push({ path, message: `param '${name}' is ${describe(coerced.value)}, which is not allowed`, hint: didYouMean(String(coerced.value), options, 'one of') });
      continue;
    }
    params[name] = coerced.value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, params };
}

/** Like resolveParams, but returns the params or throws PipelineValidationError. */
export function assertParams(pipeline: Pick<Pipeline, 'params' | 'name'>, values: Readonly<Record<string, unknown>> = {}): ParamValues {
  const result = resolveParams(pipeline, values);
  if (!result.ok) throw new PipelineValidationError(result.issues, `invalid params for pipeline ${pipeline.name}`);
  return result.params;
}

/** `['n=3', 'tags=a,b']` (repeated `--param` flags) → `{ n: '3', tags: 'a,b' }`; throws on an entry without `=`. */
export function parseParamAssignments(assignments: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new Error(`invalid param '${assignment}': write name=value, e.g. --param language=en`);
    out[assignment.slice(0, eq).trim()] = assignment.slice(eq + 1);
  }
  return out;
}

export type InputResult = { ok: true; input: Record<string, unknown> } | { ok: false; issues: ValidationIssue[] };

const TYPE_NAMES: Record<ParamSpec['type'], string> = { string: 'a string', number: 'a number', boolean: 'true or false', list: 'a list', object: 'an object' };
const EXAMPLES: Record<ParamSpec['type'], string> = { string: '"text"', number: '42', boolean: 'true', list: '["a", "b"]', object: '{ "key": "value" }' };

function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Whether `value` is of a declared param or input type (numbers finite, objects not lists). */
export function fitsType(value: unknown, type: ParamSpec['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/**
 * The input of one review, checked against the pipeline's declared `inputs`: defaults applied, and
 * missing, undeclared, mistyped or disallowed values refused, every one listed (path, what, how to fix).
 * Values are taken as the JSON they are (no coercion of strings). `null` counts as not given. A pipeline
 * that declares no inputs takes any input unchanged.
 */
export function resolveInput(pipeline: Pick<Pipeline, 'inputs'>, input: Readonly<Record<string, unknown>> = {}): InputResult {
  const specs = pipeline.inputs;
  if (specs === undefined) return { ok: true, input: { ...input } };
  const names = Object.keys(specs);
  const issues: ValidationIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    if (Object.prototype.hasOwnProperty.call(specs, name)) continue;
    const close = didYouMean(name, names, 'one of');
    issues.push({
      path: formatPath(['input', name]),
      message: `unknown input '${name}': the pipeline does not declare it`,
      hint: names.length === 0 ? `this pipeline declares no inputs: remove '${name}', or declare it under inputs:` : close.startsWith('did you mean') ? close : `remove it, or declare it under inputs: (declared: ${names.join(', ')})`,
    });
  }
  for (const [name, spec] of Object.entries(specs)) {
    const path = formatPath(['input', name]);
    const given = Object.prototype.hasOwnProperty.call(input, name) ? input[name] : undefined;
    const value = given !== undefined && given !== null ? given : spec.default;
    const about = spec.description ? ` (${spec.description})` : '';
    if (value === undefined || value === null) {
      if (spec.required) {
        issues.push({ path, message: `missing required input '${name}'${about}`, hint: `give ${name} in the review input, e.g. { "${name}": ${EXAMPLES[spec.type]} } (${TYPE_NAMES[spec.type]})` });
      }
      continue;
    }
    if (!fitsType(value, spec.type)) {
      const quotedNumber = spec.type === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
      const quotedBoolean = spec.type === 'boolean' && (value === 'true' || value === 'false');
      issues.push({
        path,
        message: `input '${name}' must be ${TYPE_NAMES[spec.type]}, got ${typeOfValue(value)} ${describe(value)}${about}`,
        hint: quotedNumber || quotedBoolean ? `write ${String(value)} without quotes` : `give ${TYPE_NAMES[spec.type]}, e.g. ${EXAMPLES[spec.type]}`,
      });
      continue;
    }
    if (spec.enum && !spec.enum.some((option) => option === value)) {
      const options = spec.enum.map((o) => String(o));
      const close = didYouMean(String(value), options, 'one of');
      issues.push({ path, message: `input '${name}' is ${describe(value)}, which is not allowed`, hint: close.startsWith('did you mean') ? `${close} (allowed: ${options.join(', ')})` : close });
      continue;
    }
    out[name] = value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, input: out };
}
