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
