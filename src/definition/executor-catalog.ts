/**
 * What validation knows about executors: the built-ins (types and output schemas from
 * ./executor-outputs) plus a deployment's catalog (the JSON a worker writes at start-up: each type with
 * its description and the JSON Schemas of its input and output). `steps.<id>.output.<path>` references
 * are checked against the output schemas here. Pure TypeScript with zod only: the workflow sandbox may load it.
 */
import { z } from 'zod';
import { BUILTIN_EXECUTOR_TYPES } from './builtin-executors';
import { BUILTIN_EXECUTOR_OUTPUTS } from './executor-outputs';
import { closestMatch } from './suggest';

/** A JSON Schema (draft 2020-12 as zod writes it); `true` or `{}` accepts anything. */
export type JsonSchema = Record<string, unknown> | boolean;

export interface ExecutorCatalogEntry {
  type: string;
  description?: string;
  /** JSON Schema of the step's `with`. */
  input?: JsonSchema;
  /** JSON Schema of the step's output; absent: anything. */
  output?: JsonSchema;
}

export interface ExecutorCatalog {
  version: 1;
  /** When the catalog was last written (ISO time). */
  writtenAt?: string;
  executors: ExecutorCatalogEntry[];
}

const JsonSchemaValue = z.union([z.boolean(), z.record(z.string(), z.unknown())]);

/** The catalog file as read from disk: checked, unknown fields kept. */
export const ExecutorCatalogSchema = z.looseObject({
  version: z.literal(1, { message: 'expected version: 1 (a catalog written by a review worker)' }),
  writtenAt: z.string().optional(),
  executors: z.array(
    z.looseObject({
      type: z.string().min(1),
      description: z.string().optional(),
      input: JsonSchemaValue.optional(),
      output: JsonSchemaValue.optional(),
    }),
  ),
});

/** The JSON Schema of an executor's output as validation and the catalog use it. */
export function outputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** What a gate step's output holds. */
export const GateOutputSchema = z.object({
  outcome: z.string().describe('approved or rejected'),
  decidedBy: z.unknown().describe('Who decided, or deadline'),
  decisions: z.array(z.record(z.string(), z.unknown())),
});

let builtinOutputs: Map<string, JsonSchema> | undefined;

/** The built-in executors' output schemas as JSON Schema (computed once). */
export function builtinOutputSchemas(): ReadonlyMap<string, JsonSchema> {
  if (!builtinOutputs) {
    builtinOutputs = new Map(BUILTIN_EXECUTOR_TYPES.map((type) => [type, outputJsonSchema(BUILTIN_EXECUTOR_OUTPUTS[type])]));
  }
  return builtinOutputs;
}

let gateOutput: JsonSchema | undefined;
export function gateOutputSchema(): JsonSchema {
  gateOutput ??= outputJsonSchema(GateOutputSchema);
  return gateOutput;
}

/** Executor types validation accepts, and their outputs: the built-ins, then a catalog's entries (which win). */
export class KnownExecutors {
  private readonly outputs = new Map<string, JsonSchema | undefined>();

  constructor(
    catalog: readonly ExecutorCatalogEntry[] = [],
    /** Whether a deployment's catalog was given: then an unknown type is an error, else a warning. */
    readonly fromCatalog = catalog.length > 0,
  ) {
    for (const [type, schema] of builtinOutputSchemas()) this.outputs.set(type, schema);
    for (const entry of catalog) this.outputs.set(entry.type, entry.output);
  }

  has(type: string): boolean {
    return this.outputs.has(type);
  }

  types(): string[] {
    return [...this.outputs.keys()].sort();
  }

  /** The output schema of `type`; undefined when the type is unknown or declares none (anything goes). */
  output(type: string): JsonSchema | undefined {
    return this.outputs.get(type);
  }

  closest(type: string): string | undefined {
    return closestMatch(type, this.outputs.keys());
  }
}

/** Where a reference into an output leaves its schema. */
export type OutputPathProblem =
  | { kind: 'no-property'; index: number; key: string; candidates: string[] }
  | { kind: 'scalar'; index: number; key: string | number; type: string }
  | { kind: 'list'; index: number; key: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node)) return undefined;
    node = node[part];
  }
  return isObj(node) || typeof node === 'boolean' ? node : undefined;
}

/** A schema node with the document its $refs point into; `schema: undefined` means anything. */
interface Node {
  root: JsonSchema;
  schema: Obj | undefined;
}

/** The alternatives a schema stands for, with $ref, anyOf, oneOf and allOf opened. */
function branches(root: JsonSchema, schema: JsonSchema | undefined, depth = 0): Node[] {
  if (schema === undefined || schema === true || depth > 32) return [{ root, schema: undefined }];
  if (schema === false) return [];
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    return target === undefined ? [{ root, schema: undefined }] : branches(root, target, depth + 1);
  }
  const alternatives = [schema.anyOf, schema.oneOf, schema.allOf].find(Array.isArray) as unknown[] | undefined;
  if (alternatives) {
    return alternatives.flatMap((alt) => (isObj(alt) || typeof alt === 'boolean' ? branches(root, alt, depth + 1) : [{ root, schema: undefined }]));
  }
  return [{ root, schema }];
}

function typesOf(schema: Obj): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (isObj(schema.properties) || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ['array'];
  if ('const' in schema) return [schema.const === null ? 'null' : Array.isArray(schema.const) ? 'array' : typeof schema.const];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return undefined;
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a number', boolean: 'a boolean', null: 'null' };

/**
 * Checks a static path (`['counts', 'errors']`) against output schemas (several: a step and its
 * fallback; the path is fine when it fits any). Keys match ignoring case, as expressions do; parts a
 * schema leaves open (no type, `{}`, additionalProperties, an absent schema) accept anything.
 */
export function checkOutputPath(schemas: readonly (JsonSchema | undefined)[], path: readonly (string | number)[]): OutputPathProblem | undefined {
  let current: Node[] = schemas.flatMap((schema) => (schema === undefined ? [{ root: true, schema: undefined }] : branches(schema, schema)));
  for (let index = 0; index < path.length; index++) {
    const segment = path[index] as string | number;
    const key = String(segment);
    const next: Node[] = [];
    const candidates: string[] = [];
    let scalar: string | undefined;
    let list = false;
    for (const { root, schema: branch } of current) {
      if (branch === undefined) return undefined;
      const types = typesOf(branch);
      if (types === undefined) return undefined;
      if (types.includes('object')) {
        const properties = isObj(branch.properties) ? branch.properties : {};
        const names = Object.keys(properties);
        const match = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
        if (match !== undefined) {
          next.push(...branches(root, properties[match] as JsonSchema));
          continue;
        }
        const extra = branch.additionalProperties;
        if (extra === undefined || extra === true || isObj(branch.patternProperties)) return undefined;
        if (isObj(extra)) {
          next.push(...branches(root, extra));
          continue;
        }
        candidates.push(...names);
        continue;
      }
      if (types.includes('array')) {
        if (typeof segment === 'number' || /^\d+$/.test(key)) {
          next.push(...branches(root, (branch.items ?? true) as JsonSchema));
          continue;
        }
        list = true;
        continue;
      }
      const real = types.find((t) => t !== 'null');
      if (real !== undefined) scalar ??= real;
    }
    if (next.length > 0) {
      current = next;
      continue;
    }
    if (candidates.length > 0 || (!list && scalar === undefined)) return { kind: 'no-property', index, key, candidates: [...new Set(candidates)].sort() };
    if (list) return { kind: 'list', index, key };
    return { kind: 'scalar', index, key: segment, type: TYPE_WORDS[scalar as string] ?? `a ${scalar as string}` };
  }
  return undefined;
}
