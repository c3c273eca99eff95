/**
 * Checks of signal and update payloads: user input reaches the workflow only through these. Written by hand rather
 * than with zod: zod adds about half a megabyte to the workflow bundle's context, and its schemas fill caches of
 * their own at first use, which the SDK's freezing of shared modules (workers/shared-modules.ts) does not allow.
 */

export interface PayloadIssue {
  path: (string | number)[];
  message: string;
}

export type Checked<T> = { success: true; data: T } | { success: false; error: { issues: PayloadIssue[] } };

type Rule = (value: unknown, path: (string | number)[]) => PayloadIssue[];

const issue = (path: (string | number)[], message: string): PayloadIssue[] => [{ path, message }];

function text(max: number, min = 1): Rule {
  return (value, path) => {
    if (typeof value !== 'string') return issue(path, `expected a string, got ${kindOf(value)}`);
    if (value.length < min) return issue(path, `must not be empty`);
    if (value.length > max) return issue(path, `must be at most ${max} characters`);
    return [];
  };
}

function list(item: Rule, max: number): Rule {
  return (value, path) => {
    if (!Array.isArray(value)) return issue(path, `expected an array, got ${kindOf(value)}`);
    if (value.length > max) return issue(path, `must hold at most ${max} items`);
    return value.flatMap((v, i) => item(v, [...path, i]));
  };
}

const boolean: Rule = (value, path) => (typeof value === 'boolean' ? [] : issue(path, `expected a boolean, got ${kindOf(value)}`));

const positiveInt: Rule = (value, path) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 ? [] : issue(path, `expected a whole number of at least 1, got ${JSON.stringify(value) ?? kindOf(value)}`);

function oneOf(values: readonly string[]): Rule {
  return (value, path) => (typeof value === 'string' && values.includes(value) ? [] : issue(path, `expected one of ${values.join(', ')}`));
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

interface Shape {
  required: Record<string, Rule>;
  optional: Record<string, Rule>;
}

/** A plain object with exactly these keys; `absent` allows `undefined` for the whole payload. */
function object<T>(shape: Shape, absent: boolean): { safeParse(value: unknown): Checked<T> } {
  const known = new Set([...Object.keys(shape.required), ...Object.keys(shape.optional)]);
  return {
    safeParse(value: unknown): Checked<T> {
      if (value === undefined && absent) return { success: true, data: value as T };
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { success: false, error: { issues: issue([], `expected an object, got ${kindOf(value)}`) } };
      }
      const record = value as Record<string, unknown>;
      const issues = [
        ...Object.entries(shape.required).flatMap(([key, rule]) => (record[key] === undefined ? issue([key], 'required') : rule(record[key], [key]))),
        ...Object.entries(shape.optional).flatMap(([key, rule]) => (record[key] === undefined ? [] : rule(record[key], [key]))),
      ];
      const unknown = Object.keys(record).filter((key) => !known.has(key));
      if (unknown.length > 0) issues.push({ path: [], message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => JSON.stringify(k)).join(', ')}` });
      return issues.length > 0 ? { success: false, error: { issues } } : { success: true, data: { ...record } as T };
    },
  };
}

export const DecisionInputSchema = object<{ step?: string; by: string; roles?: string[]; comment?: string; hold?: boolean }>(
  { required: { by: text(200) }, optional: { step: text(64), roles: list(text(100), 50), comment: text(4000, 0), hold: boolean } },
  false,
);

export const WithdrawInputSchema = object<{ step?: string; by: string; reason?: string }>(
  { required: { by: text(200) }, optional: { step: text(64), reason: text(1000, 0) } },
  false,
);

export const PauseInputSchema = object<{ by?: string; reason?: string } | undefined>({ required: {}, optional: { by: text(200), reason: text(1000, 0) } }, true);

export const RetryInputSchema = object<{ from?: string } | undefined>({ required: {}, optional: { from: text(64) } }, true);

export const StepProgressSchema = object<{ step: string; attempt: number; event: 'attempt_started' | 'attempt_failed'; error?: string }>(
  { required: { step: text(64), attempt: positiveInt, event: oneOf(['attempt_started', 'attempt_failed']) }, optional: { error: text(4000, 0) } },
  false,
);

/** A readable one-line description of what is wrong with a payload (also of a zod error). */
export function describeZodError(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'payload'}: ${i.message}`).join('; ');
}
