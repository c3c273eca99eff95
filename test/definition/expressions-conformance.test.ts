/**
 * Conformance with GitHub's own cross-implementation test data for `${{ }}` expressions
 * (actions/languageservices, expressions/testdata). The data is never copied into this repository:
 * it is read from ../shared/conformance/github-expressions beside the checkout (CI always has it);
 * where it is absent the suite is skipped and says so.
 *
 * Every case runs against the project's own evaluator with the case's contexts as the named values
 * an expression may read. A case expecting a value passes when the kind (Null, Boolean, Number,
 * String, Array, Object) and the value agree. A case expecting an error passes when the error
 * comes from the same stage (lexing, parsing, evaluation), is of the same kind (GitHub's message
 * prefix, mapped to the project's error code), names the same symbol and points at the same
 * position. The wording of the messages is the project's own (they say how to fix the problem).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { evaluate, ExpressionError, parseExpression, type ExpressionErrorCode } from '../../src/definition/expressions';

const DATA = resolve(__dirname, '../../../shared/conformance/github-expressions');
const present = existsSync(DATA);

/**
 * Cases that do not apply to this project, by `file/group/index`, with the reason. Kept empty on
 * purpose: every case of the data runs, including those GitHub's TypeScript implementation skips.
 * Anything added here must be listed with its reason in the README (Expressions section).
 */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {};

/** GitHub's message prefixes and the error codes of the project that mean the same. */
const CODES: readonly [string, ExpressionErrorCode][] = [
  ['Unexpected symbol', 'unexpected-symbol'],
  ['Unexpected end of expression', 'unexpected-end'],
  ['Unrecognized named-value', 'unknown-context'],
  ['Unrecognized function', 'unknown-function'],
  ['Too few parameters supplied', 'too-few-arguments'],
  ['Too many parameters supplied', 'too-many-arguments'],
  ['Even number of parameters supplied', 'even-arguments'],
  ['Exceeded max expression depth', 'too-deep'],
  ['Exceeded max expression length', 'too-long'],
  ['The following format string is invalid', 'format-invalid'],
  ['The following format string references more arguments than were supplied', 'format-arguments'],
  ['case predicate must evaluate to a boolean value', 'case-predicate'],
  ['Error parsing JSON', 'invalid-json'],
  ['empty input', 'invalid-json'],
  ['The maximum allowed memory size was exceeded', 'too-much-memory'],
];

interface Case {
  expr: string;
  contexts?: Record<string, unknown>;
  result?: { kind: string; value: unknown };
  err?: { kind: 'lexing' | 'parsing' | 'evaluation'; value: string };
  options?: { skip?: string[] };
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  return Array.isArray(value) ? 'Array' : 'Object'; // GitHub's name for its dictionaries
}

/** JSON with the numbers JSON cannot hold written as strings, as the data writes them. */
function canonical(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

/** Why a case fails, or undefined when it passes. */
function failure(c: Case): string | undefined {
  const contexts = c.contexts ?? {};
  let stage: 'lexing' | 'parsing' | 'evaluation' = 'parsing';
  let value: unknown;
  try {
    const ast = parseExpression(c.expr, 0, c.expr, { contexts: Object.keys(contexts) });
    stage = 'evaluation';
    value = evaluate(ast, contexts, c.expr);
  } catch (error) {
    if (!(error instanceof ExpressionError)) return `threw ${String(error)}`;
    if (!c.err) return `expected ${c.result?.kind} ${canonical(c.result?.value)}, got the ${error.stage} error: ${error.message}`;
    return errorMismatch(c.err, error);
  }
  if (c.err) return `expected a ${c.err.kind} error (${c.err.value}), got ${kindOf(value)} ${canonical(value)} (${stage})`;
  const expected = c.result as { kind: string; value: unknown };
  if (kindOf(value) !== expected.kind || canonical(value) !== canonical(expected.value)) {
    return `expected ${expected.kind} ${canonical(expected.value)}, got ${kindOf(value)} ${canonical(value)}`;
  }
  return undefined;
}

function errorMismatch(expected: NonNullable<Case['err']>, error: ExpressionError): string | undefined {
  const problems: string[] = [];
  if (error.stage !== expected.kind) problems.push(`stage ${error.stage}, expected ${expected.kind}`);
  const code = CODES.find(([prefix]) => expected.value.startsWith(prefix))?.[1];
  if (code === undefined) problems.push(`no error code known for "${expected.value}"`);
  else if (error.code !== code) problems.push(`code ${error.code}, expected ${code}`);
  const symbol = /^[^:]+: '([\s\S]*)'\. Located/.exec(expected.value)?.[1];
  if (symbol !== undefined && error.token !== symbol) problems.push(`symbol '${error.token}', expected '${symbol}'`);
  const position = /Located at position (\d+)( within)?/.exec(expected.value);
  if (position) {
    const actual = String(error.position + 1);
    // Without " within expression" the data gives only the leading digits of the position.
    const agrees = position[2] ? actual === position[1] : actual.startsWith(position[1] as string);
    if (!agrees) problems.push(`position ${actual}, expected ${position[1]}`);
  }
  return problems.length === 0 ? undefined : `${problems.join('; ')} (message: ${error.message})`;
}

interface FileReport {
  file: string;
  passed: number;
  failed: string[];
  notApplicable: number;
}

function runFile(file: string): FileReport {
  const groups = JSON.parse(readFileSync(join(DATA, file), 'utf8')) as Record<string, Case[] | unknown>;
  const report: FileReport = { file, passed: 0, failed: [], notApplicable: 0 };
  for (const [group, cases] of Object.entries(groups)) {
    if (!Array.isArray(cases)) continue; // e.g. coerce_boolean.json only refers to another file
    (cases as Case[]).forEach((c, index) => {
      if (NOT_APPLICABLE[`${file}/${group}/${index}`] !== undefined) {
        report.notApplicable += 1;
        return;
      }
      const why = failure(c);
      if (why === undefined) report.passed += 1;
      else report.failed.push(`${group} #${index} ${JSON.stringify(c.expr.length > 120 ? `${c.expr.slice(0, 120)}…` : c.expr)}: ${why}`);
    });
  }
  return report;
}

const files = present ? readdirSync(DATA).filter((f) => f.endsWith('.json')).sort() : [];
const reports = new Map<string, FileReport>();

if (!present) {
  console.warn(`GitHub expression conformance skipped: ${DATA} is absent (CI always has it; see ../shared/conformance/README.md).`);
}

(present ? describe : describe.skip)("conformance with GitHub's expression test data", () => {
  afterAll(() => {
    const rows = [...reports.values()];
    const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed.length, na: t.na + r.notApplicable }), { passed: 0, failed: 0, na: 0 });
    const width = Math.max(...rows.map((r) => r.file.length), 5);
    const line = (name: string, passed: number, failed: number, na: number) =>
      `${name.padEnd(width)}  ${String(passed).padStart(6)}  ${String(failed).padStart(6)}  ${String(na).padStart(14)}`;
    console.log(
      [
        `GitHub expression conformance (${DATA})`,
        `${'file'.padEnd(width)}  passed  failed  not applicable`,
        ...rows.map((r) => line(r.file, r.passed, r.failed.length, r.notApplicable)),
        line('total', total.passed, total.failed, total.na),
      ].join('\n'),
    );
  });

  it('finds the data files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('lists every exclusion with its reason', () => {
    for (const [key, reason] of Object.entries(NOT_APPLICABLE)) expect({ key, reason: reason.trim().length > 0 }).toEqual({ key, reason: true });
  });

  it.each(files)('%s: every applicable case agrees with GitHub', (file) => {
    const report = runFile(file);
    reports.set(file, report);
    expect(report.failed).toEqual([]);
  });
});
