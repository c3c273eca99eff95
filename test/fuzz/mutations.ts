/** Ways to break a pipeline document, applied to its data or to its text. */
import fc from 'fast-check';

type Json = Record<string, unknown>;
type Path = (string | number)[];

export const MUTATION_KINDS = [
  'delete',
  'duplicate',
  'rename',
  'wrongType',
  'cycle',
  'unknownNeed',
  'hugeString',
  'deepNesting',
  'invalidExpression',
  'badDuration',
  'duplicateStepId',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  kind: MutationKind;
  pick: number;
  pick2: number;
  value: unknown;
}

const BAD_EXPRESSIONS = [
  '${{ steps. }}',
  '${{ (( }}',
  '${{ steps.s0.output == }}',
  '${{ unknownRoot.x }}',
  '${{ params.nope }}',
  '${{ steps.ghost.output }}',
  '${{ "unterminated }}',
  '${{ fromJSON( }}',
  '${{ 1 +* 2 }}',
  '${{ }}',
  '${{ steps.s0.outptu.x }}',
  '${{ steps[0] }}',
];
const BAD_DURATIONS = ['5 minutes', '-1s', '1y', '', 'ms', '10', '1.5.5s', '∞', '1e3s', '5M', 'PT5M', ' '];
const TYPED_JUNK = [null, 0, -1, 1.5, 1e308, true, false, '', 'x', [], [null], {}, { a: 1 }, ['a', 'b'], 'steps', NaN];

/** Huge strings and deep nesting cost far more to parse than the rest, so they come up less often. */
const HEAVY: readonly MutationKind[] = ['hugeString', 'deepNesting'];
const kindArbitrary = fc.oneof(
  { weight: 200, arbitrary: fc.constantFrom(...MUTATION_KINDS.filter((k) => !HEAVY.includes(k))) },
  { weight: Number(process.env.FUZZ_HEAVY_WEIGHT ?? 1), arbitrary: fc.constantFrom(...HEAVY) },
);

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: kindArbitrary,
  pick: fc.nat(),
  pick2: fc.nat(),
  value: fc.oneof(fc.constantFrom(...TYPED_JUNK), fc.string({ maxLength: 12 }), fc.integer(), fc.jsonValue({ maxDepth: 2, depthSize: 'xsmall' })),
});

export interface TextMutation {
  kind: 'truncate' | 'insert' | 'none';
  at: number;
  text: string;
}

export const textMutationArbitrary: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<TextMutation>({ kind: 'none', at: 0, text: '' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'truncate'>('truncate'), at: fc.nat(), text: fc.constant('') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant<'insert'>('insert'), at: fc.nat(), text: fc.constantFrom(':', '{', ']', '"', "'", '\t', '- ', '&a', '*a', '!!binary', '%', '\u0000', '}}}') }) },
);

export function mutateText(text: string, m: TextMutation): string {
  if (m.kind === 'none' || text.length === 0) return text;
  const at = m.at % text.length;
  return m.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + m.text + text.slice(at);
}

/** Every path into the document (objects and arrays), breadth first, capped. */
function paths(doc: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const queue: { value: unknown; path: Path }[] = [{ value: doc, path: [] }];
  while (queue.length > 0 && out.length < limit) {
    const { value, path } = queue.shift() as { value: unknown; path: Path };
    if (path.length > 0) out.push(path);
    if (Array.isArray(value)) value.forEach((child, i) => queue.push({ value: child, path: [...path, i] }));
    else if (value !== null && typeof value === 'object') for (const [k, child] of Object.entries(value)) queue.push({ value: child, path: [...path, k] });
  }
  return out;
}

function parentOf(doc: unknown, path: Path): { parent: Json | unknown[]; key: string | number } | undefined {
  let node: unknown = doc;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  if (node === null || typeof node !== 'object') return undefined;
  return { parent: node as Json | unknown[], key: path[path.length - 1] as string | number };
}

function stepsOf(doc: unknown): Json[] {
  const steps = (doc as Json | null)?.steps;
  return Array.isArray(steps) ? steps.filter((s): s is Json => s !== null && typeof s === 'object' && !Array.isArray(s)) : [];
}

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { n: value };
  return value;
}

function setAt(doc: unknown, path: Path, value: unknown): void {
  const at = parentOf(doc, path);
  if (at) (at.parent as Record<string | number, unknown>)[at.key] = value;
}

/** Applies `m` to `doc` in place (the caller passes a copy). */
export function applyMutation(doc: unknown, m: Mutation): unknown {
  if (doc === null || typeof doc !== 'object') return m.value;
  const all = paths(doc);
  const path = all.length > 0 ? (all[m.pick % all.length] as Path) : [];
  const steps = stepsOf(doc);
  const step = steps.length > 0 ? steps[m.pick % steps.length] : undefined;
  const other = steps.length > 0 ? steps[m.pick2 % steps.length] : undefined;
  switch (m.kind) {
    case 'delete': {
      const at = parentOf(doc, path);
      if (!at) return doc;
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 1);
      else delete at.parent[String(at.key)];
      return doc;
    }
    case 'duplicate': {
      const at = parentOf(doc, path);
      if (!at) return doc;
      const copy = structuredClone((at.parent as Record<string | number, unknown>)[at.key]);
      if (Array.isArray(at.parent)) at.parent.splice(Number(at.key), 0, copy);
      else at.parent[`${String(at.key)}${m.pick2 % 2 === 0 ? 's' : '_copy'}`] = copy;
      return doc;
    }
    case 'rename': {
      const at = parentOf(doc, path);
      if (!at || Array.isArray(at.parent)) return doc;
      const key = String(at.key);
      const renamed = [key.toUpperCase(), key.slice(1), `${key}x`, typeof m.value === 'string' ? m.value : 'renamed', '__proto__', 'constructor'][m.pick2 % 6] as string;
      const value = at.parent[key];
      delete at.parent[key];
      Object.defineProperty(at.parent, renamed, { value, enumerable: true, writable: true, configurable: true });
      return doc;
    }
    case 'wrongType':
      setAt(doc, path, m.value);
      return doc;
    case 'cycle':
      if (step && other) {
        step.needs = [...(Array.isArray(step.needs) ? step.needs : []), other.id];
        other.needs = [...(Array.isArray(other.needs) ? other.needs : []), step.id];
      }
      return doc;
    case 'unknownNeed':
      if (step) step.needs = [...(Array.isArray(step.needs) ? step.needs : []), `ghost${m.pick2 % 100}`];
      return doc;
    case 'hugeString':
      setAt(doc, path, 'x'.repeat(8 * 1024 + (m.pick2 % (56 * 1024))));
      return doc;
    case 'deepNesting':
      if (step) step.with = { deep: nested(20 + (m.pick2 % 300), m.pick2 % 3 === 0 ? '${{ steps. }}' : 'leaf', m.pick2 % 2 === 0) };
      return doc;
    case 'invalidExpression': {
      const expression = BAD_EXPRESSIONS[m.pick2 % BAD_EXPRESSIONS.length] as string;
      if (step && m.pick % 2 === 0) step.if = expression;
      else if (step) step.with = { ...(typeof step.with === 'object' && step.with !== null ? step.with : {}), broken: expression };
      return doc;
    }
    case 'badDuration': {
      const bad = BAD_DURATIONS[m.pick2 % BAD_DURATIONS.length] as string;
      const targets: Path[] = [['timeout']];
      if (step) {
        const i = steps.indexOf(step);
        targets.push(['steps', i, 'timeout', 'startToClose'], ['steps', i, 'retry', 'initialInterval'], ['steps', i, 'gate', 'deadline']);
      }
      const target = targets[m.pick % targets.length] as Path;
      let node: Record<string | number, unknown> = doc as Json;
      for (const segment of target.slice(0, -1)) {
        const next = node[segment];
        if (next === null || typeof next !== 'object') node[segment] = {};
        node = node[segment] as Record<string | number, unknown>;
      }
      node[target[target.length - 1] as string] = bad;
      return doc;
    }
    case 'duplicateStepId':
      if (step && other && step !== other) other.id = step.id;
      else if (step && Array.isArray((doc as Json).steps)) ((doc as Json).steps as unknown[]).push(structuredClone(step));
      return doc;
  }
}
