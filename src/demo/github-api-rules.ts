/**
 * What GitHub's REST API accepts in the bodies the stand-in serves (check runs, commit statuses,
 * merges), written from GitHub's REST reference: permitted keys, required keys, types, enums and
 * length limits. A rule broken gives the problem as GitHub would describe it.
 */

export type FieldRule =
  | { type: 'string'; required?: boolean; nullable?: boolean; enum?: readonly string[]; maxChars?: number; url?: boolean; datetime?: boolean; minLength?: number }
  | { type: 'integer'; required?: boolean; min?: number }
  | { type: 'object'; required?: boolean; fields: Record<string, FieldRule> }
  | { type: 'array'; required?: boolean; maxItems?: number; items: FieldRule };

/** A problem in a request body: `schema` ones GitHub answers "Invalid request", `validation` ones "Validation Failed". */
export interface Problem {
  kind: 'schema' | 'validation';
  field: string;
  code: 'missing_field' | 'invalid' | 'custom' | 'unprocessable';
  message: string;
}

export const CHECK_RUN_STATUSES = ['queued', 'in_progress', 'completed'] as const;
/** Statuses only GitHub Actions may set. */
export const ACTIONS_ONLY_STATUSES = ['waiting', 'requested', 'pending'] as const;
export const CHECK_RUN_CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'timed_out'] as const;
export const ANNOTATION_LEVELS = ['notice', 'warning', 'failure'] as const;
export const STATUS_STATES = ['error', 'failure', 'pending', 'success'] as const;
export const MERGE_METHODS = ['merge', 'squash', 'rebase'] as const;
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_CHARS = 65_535;
export const MAX_STATUS_DESCRIPTION = 140;

const ANNOTATION: FieldRule = {
  type: 'object',
  fields: {
    path: { type: 'string', required: true, minLength: 1 },
    start_line: { type: 'integer', required: true, min: 1 },
    end_line: { type: 'integer', required: true, min: 1 },
    start_column: { type: 'integer', min: 1 },
    end_column: { type: 'integer', min: 1 },
    annotation_level: { type: 'string', required: true, enum: ANNOTATION_LEVELS },
    message: { type: 'string', required: true, minLength: 1, maxChars: 64 * 1024 },
    title: { type: 'string', maxChars: 255 },
    raw_details: { type: 'string', maxChars: 64 * 1024 },
  },
};

const OUTPUT: FieldRule = {
  type: 'object',
  fields: {
    title: { type: 'string', required: true, nullable: false },
    summary: { type: 'string', required: true, maxChars: MAX_OUTPUT_CHARS },
    text: { type: 'string', maxChars: MAX_OUTPUT_CHARS },
    annotations: { type: 'array', maxItems: MAX_ANNOTATIONS_PER_REQUEST, items: ANNOTATION },
    images: {
      type: 'array',
      items: {
        type: 'object',
        fields: {
          alt: { type: 'string', required: true },
          image_url: { type: 'string', required: true, url: true },
          caption: { type: 'string' },
        },
      },
    },
  },
};

const CHECK_RUN_FIELDS: Record<string, FieldRule> = {
  name: { type: 'string', required: true, minLength: 1 },
  head_sha: { type: 'string', required: true },
  details_url: { type: 'string', url: true },
  external_id: { type: 'string' },
  status: { type: 'string', enum: CHECK_RUN_STATUSES },
  started_at: { type: 'string', datetime: true },
  conclusion: { type: 'string', enum: CHECK_RUN_CONCLUSIONS },
  completed_at: { type: 'string', datetime: true },
  output: OUTPUT,
  actions: {
    type: 'array',
    maxItems: 3,
    items: {
      type: 'object',
      fields: {
        label: { type: 'string', required: true, maxChars: 20 },
        description: { type: 'string', required: true, maxChars: 40 },
        identifier: { type: 'string', required: true, maxChars: 20 },
      },
    },
  },
};

export const CREATE_CHECK_RUN: FieldRule = { type: 'object', fields: CHECK_RUN_FIELDS };

const { head_sha: _headSha, ...UPDATE_FIELDS } = CHECK_RUN_FIELDS;
export const UPDATE_CHECK_RUN: FieldRule = {
  type: 'object',
  fields: { ...UPDATE_FIELDS, name: { type: 'string', minLength: 1 } },
};

export const CREATE_STATUS: FieldRule = {
  type: 'object',
  fields: {
    state: { type: 'string', required: true, enum: STATUS_STATES },
    target_url: { type: 'string', nullable: true },
    description: { type: 'string', nullable: true },
    context: { type: 'string' },
  },
};

export const MERGE_PULL: FieldRule = {
  type: 'object',
  fields: {
    commit_title: { type: 'string' },
    commit_message: { type: 'string' },
    sha: { type: 'string' },
    merge_method: { type: 'string', enum: MERGE_METHODS },
  },
};

/** Characters as GitHub counts them: code points. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Every way `value` breaks `rule`, the field named by its path (`output.annotations[3].annotation_level`). */
export function check(value: unknown, rule: FieldRule, path = ''): Problem[] {
  const problems: Problem[] = [];
  const where = path || 'body';
  const schema = (message: string, code: Problem['code'] = 'invalid'): void => void problems.push({ kind: 'schema', field: where, code, message });
  const tooLong = (message: string): void => void problems.push({ kind: 'validation', field: where, code: 'custom', message });

  switch (rule.type) {
    case 'string':
      if (value === null && rule.nullable) break;
      if (typeof value !== 'string') {
        schema(`For '${where}', ${JSON.stringify(value)} is not a string.`);
        break;
      }
      if (rule.enum && !rule.enum.includes(value)) {
        schema(`For '${where}', ${JSON.stringify(value)} is not one of: ${rule.enum.map((v) => JSON.stringify(v)).join(', ')}.`);
      }
      if (rule.minLength !== undefined && value.length < rule.minLength) schema(`For '${where}', "" is too short (minimum is ${rule.minLength}).`);
      if (rule.maxChars !== undefined && charCount(value) > rule.maxChars) tooLong(`${where} is too long (maximum is ${rule.maxChars} characters)`);
      if (rule.url && !/^https?:\/\/[^\s/]+/i.test(value)) problems.push({ kind: 'validation', field: where, code: 'custom', message: `${where} must be a valid URL` });
      if (rule.datetime && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
        schema(`For '${where}', ${JSON.stringify(value)} is not a timestamp in ISO 8601 format (YYYY-MM-DDTHH:MM:SSZ).`);
      }
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) schema(`For '${where}', ${JSON.stringify(value)} is not an integer.`);
      else if (rule.min !== undefined && value < rule.min) schema(`For '${where}', ${value} is less than the minimum of ${rule.min}.`);
      break;
    case 'array':
      if (!Array.isArray(value)) {
        schema(`For '${where}', ${JSON.stringify(value)} is not an array.`);
        break;
      }
      if (rule.maxItems !== undefined && value.length > rule.maxItems) {
        problems.push({
          kind: 'validation',
          field: where,
          code: 'custom',
          message: `${where} has ${value.length} items; at most ${rule.maxItems} are allowed per request`,
        });
      }
      value.forEach((item, i) => problems.push(...check(item, rule.items, `${path}[${i}]`)));
      break;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        schema(`For '${where}', ${JSON.stringify(value)} is not an object.`);
        break;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!(key in rule.fields)) schema(`"${key}" is not a permitted key.`, 'unprocessable');
      }
      for (const [key, field] of Object.entries(rule.fields)) {
        const sub = path ? `${path}.${key}` : key;
        if (record[key] === undefined) {
          if (field.required) problems.push({ kind: 'schema', field: sub, code: 'missing_field', message: `"${key}" wasn't supplied.` });
          continue;
        }
        problems.push(...check(record[key], field, sub));
      }
      break;
    }
  }
  return problems;
}

/** Rules GitHub applies across fields of an annotation: a range that runs forward, columns on one line only. */
export function annotationProblems(annotations: unknown, path: string): Problem[] {
  if (!Array.isArray(annotations)) return [];
  const problems: Problem[] = [];
  annotations.forEach((item, i) => {
    const a = item as { start_line?: number; end_line?: number; start_column?: number; end_column?: number };
    const where = `${path}[${i}]`;
    if (typeof a.start_line === 'number' && typeof a.end_line === 'number') {
      if (a.end_line < a.start_line) problems.push({ kind: 'validation', field: `${where}.end_line`, code: 'invalid', message: 'end_line must be greater than or equal to start_line' });
      const columns = a.start_column !== undefined || a.end_column !== undefined;
      if (columns && a.start_line !== a.end_line) {
        problems.push({
          kind: 'validation',
          field: `${where}.start_column`,
          code: 'invalid',
          message: 'start_column and end_column may only be given when start_line and end_line are the same',
        });
      }
    }
  });
  return problems;
}
