import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutorCatalog, readExecutorCatalog, writeExecutorCatalog } from '../../src/definition/catalog-file';
import { BUILTIN_EXECUTOR_TYPES } from '../../src/definition/builtin-executors';
import { builtinOutputSchemas, type ExecutorCatalogEntry } from '../../src/definition/executor-catalog';
import { resolveInput } from '../../src/definition/templates';
import { validatePipeline, type ValidateOptions } from '../../src/definition/validate';
import { loadBuiltinPipeline } from '../../src/pipelines';
import { parsePullRequestEvent, pullRequestInfo, reviewInputFor, WEBHOOK_INPUTS } from '../../src/webhook/payload';

type Raw = Record<string, unknown>;
const lint = { id: 'lint', uses: 'command', with: { command: 'npm', args: ['run', 'lint'] } };
const pipeline = (steps: Raw[], extra: Raw = {}): Raw => ({ name: 'typed', ...extra, steps });
const issuesOf = (raw: Raw, options: ValidateOptions = {}) => {
  const result = validatePipeline(raw, options);
  return result.ok ? [] : result.issues;
};
const reader = (expression: string, needs = ['lint']): Raw => ({ id: 'reader', uses: 'echo', needs, with: { value: `\${{ ${expression} }}` } });

describe('typed outputs: steps.<id>.output.<path> is checked against the executor the step uses', () => {
  it('refuses a misspelt output with a suggestion', () => {
    expect(issuesOf(pipeline([lint, reader('steps.lint.output.passd')]))).toEqual([
      { path: 'steps[1].with.value', message: "steps.lint.output.passd: command outputs have no 'passd'", hint: "did you mean 'passed'?" },
    ]);
  });

  it('accepts every declared output, whatever the case, and the whole output or status', () => {
    for (const expression of ['steps.lint.output.passed', 'steps.lint.output.EXITCODE', 'steps.lint.output', 'steps.lint.status', 'steps.lint', 'steps.lint.output.findings[0].path', 'steps.lint.output.findings.*.path']) {
      expect(issuesOf(pipeline([lint, reader(expression)]))).toEqual([]);
    }
  });

  it('walks nested objects, lists and records', () => {
    const report = { id: 'report', uses: 'report', needs: ['lint'], with: { results: { lint: '${{ steps.lint }}' } } };
    const http = { id: 'call', uses: 'http', with: { url: 'https://example.com', includeHeaders: true } };
    const read = (expression: string, needs: string[]) => issuesOf(pipeline([lint, report, http, reader(expression, needs)]));
    expect(read('steps.report.output.counts.erors', ['report'])).toEqual([
      expect.objectContaining({ message: "steps.report.output.counts.erors: report output 'counts' has no 'erors'", hint: "did you mean 'errors'?" }),
    ]);
    expect(read('steps.report.output.counts.errors', ['report'])).toEqual([]);
    expect(read('steps.lint.output.findings[0].lin', ['lint'])).toEqual([
      expect.objectContaining({ message: "steps.lint.output.findings[0].lin: command output 'findings.0' has no 'lin'", hint: "did you mean 'line'?" }),
    ]);
    expect(read('steps.lint.output.findings.path', ['lint'])).toEqual([
      expect.objectContaining({ message: "steps.lint.output.findings.path: command output 'findings' is a list, which has no 'path'", hint: expect.stringContaining('steps.lint.output.findings[0].path') }),
    ]);
    expect(read('steps.lint.output.passed.value', ['lint'])).toEqual([
      expect.objectContaining({ message: "steps.lint.output.passed.value: command output 'passed' is a boolean, which has no 'value'" }),
    ]);
    // Records and values the executor does not describe accept any key.
    expect(read("steps.call.output.headers['content-type']", ['call'])).toEqual([]);
    expect(read('steps.call.output.json.items[3].id', ['call'])).toEqual([]);
    // A union (github: check-run, status or merge) accepts the fields of any branch.
    const merge = { id: 'merge', uses: 'github', with: {} };
    expect(issuesOf(pipeline([merge, reader('steps.merge.output.merged', ['merge'])]))).toEqual([]);
    expect(issuesOf(pipeline([merge, reader('steps.merge.output.mergd', ['merge'])]))[0]).toMatchObject({ hint: "did you mean 'merged'?" });
  });

  it('gives a step with a fallback either executor\'s output', () => {
    const withFallback = { ...lint, onFailure: { fallback: { uses: 'http', with: { url: 'https://example.com' } } } };
    expect(issuesOf(pipeline([withFallback, reader('steps.lint.output.passed')]))).toEqual([]);
    expect(issuesOf(pipeline([withFallback, reader('steps.lint.output.status')]))).toEqual([]);
    expect(issuesOf(pipeline([withFallback, reader('steps.lint.output.statuz')]))).toEqual([
      expect.objectContaining({ message: "steps.lint.output.statuz: command or http outputs have no 'statuz'", hint: "did you mean 'status'?" }),
    ]);
  });

  it('checks outputs read in if:, undo, gates and finally actions too, and a gate\'s decision', () => {
    const gate = { id: 'approve', needs: ['lint'], if: 'steps.lint.output.pased', gate: { approvers: ['alice'] } };
    const after = { id: 'after', uses: 'echo', needs: ['approve'], with: { who: '${{ steps.approve.output.decidedBy }}', bad: '${{ steps.approve.output.outcom }}' } };
    const raw = pipeline([{ ...lint, undo: { uses: 'echo', with: { exit: '${{ steps.lint.output.exitcod }}' } } }, gate, after], {
      finally: [{ uses: 'echo', with: { tail: '${{ steps.lint.output.stdoutTial }}' } }],
    });
    expect(issuesOf(raw).map((i) => [i.path, i.hint])).toEqual([
      ['steps[0].undo.with.exit', "did you mean 'exitCode'?"],
      ['steps[1].if', "did you mean 'passed'?"],
      ['steps[2].with.bad', "did you mean 'outcome'?"],
      ['finally[0].with.tail', "did you mean 'stdoutTail'?"],
    ]);
  });

  it('accepts anything from executors it does not know, with a warning; a catalog describes them', () => {
    const custom = { id: 'scan', uses: 'security-scan', with: {} };
    const raw = pipeline([custom, reader('steps.scan.output.anything.at.all', ['scan'])]);
    const result = validatePipeline(raw);
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings).toEqual([expect.objectContaining({ path: 'steps[0].uses', message: expect.stringContaining("executor type 'security-scan' is not built in") })]);
    expect(issuesOf(raw, { unknownExecutors: 'error' })).toEqual([expect.objectContaining({ path: 'steps[0].uses', message: "unknown executor type 'security-scan' (not built in)" })]);

    const catalog: ExecutorCatalogEntry[] = [
      { type: 'security-scan', description: 'Scans', output: { type: 'object', properties: { vulnerabilities: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false } } }, additionalProperties: false } },
    ];
    expect(issuesOf(pipeline([custom, reader('steps.scan.output.vulnerabilities[0].id', ['scan'])]), { catalog })).toEqual([]);
    expect(issuesOf(pipeline([custom, reader('steps.scan.output.vulnerabilites', ['scan'])]), { catalog })).toEqual([
      expect.objectContaining({ message: "steps.scan.output.vulnerabilites: security-scan outputs have no 'vulnerabilites'", hint: "did you mean 'vulnerabilities'?" }),
    ]);
    // With a catalog, a type in neither list is an error with did-you-mean.
    expect(issuesOf(pipeline([{ ...custom, uses: 'security-scna' }]), { catalog })).toEqual([
      expect.objectContaining({ message: "unknown executor type 'security-scna' (neither built in nor in the executor catalog)", hint: expect.stringMatching(/^did you mean 'security-scan'\? register/) }),
    ]);
    expect(issuesOf(pipeline([{ ...custom, uses: 'teleporter' }]), { catalog })[0]?.message).toBe("unknown executor type 'teleporter' (neither built in nor in the executor catalog)");
  });

  it('has an output schema for every built-in executor', () => {
    expect([...builtinOutputSchemas().keys()].sort()).toEqual([...BUILTIN_EXECUTOR_TYPES].sort());
  });
});

describe('declared inputs', () => {
  const declared = { inputs: { repo: { type: 'string', required: true }, number: { type: 'number' }, mode: { type: 'string', enum: ['fast', 'full'], default: 'fast' } } };

  it('refuses references to undeclared inputs with did-you-mean, only when the pipeline declares inputs', () => {
    const step = { id: 'a', uses: 'echo', with: { r: '${{ input.rpo }}', n: '${{ input.Number }}', x: '${{ input.whatever }}' } };
    expect(issuesOf(pipeline([step], declared)).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'steps[0].with.r', message: "input.rpo refers to an undeclared input 'rpo'", hint: "did you mean 'repo'?" },
      { path: 'steps[0].with.x', message: "input.whatever refers to an undeclared input 'whatever'", hint: 'declare it under inputs: { whatever: { type: string } } (declared: repo, number, mode)' },
    ]);
    expect(issuesOf(pipeline([step]))).toEqual([]);
  });

  it('checks declared defaults and enums like params', () => {
    const raw = pipeline([lint], { inputs: { n: { type: 'number', default: '3' }, m: { type: 'string', enum: ['a', 1] }, r: { type: 'string', required: true, default: 'x' } } });
    expect(issuesOf(raw).map((i) => i.path)).toEqual(['inputs.n.default', 'inputs.m.enum[1]', 'inputs.r.required']);
    expect(issuesOf(pipeline([lint], { inputs: { n: { type: 'integer' } } }))[0]?.path).toBe('inputs.n.type');
  });

  it('resolveInput applies defaults and lists every missing, undeclared, mistyped or disallowed value', () => {
    expect(resolveInput(declared as never, { repo: 'acme/app' })).toEqual({ ok: true, input: { repo: 'acme/app', mode: 'fast' } });
    const result = resolveInput(declared as never, { rpeo: 'x', number: '42', mode: 'fsat' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      { path: 'input.rpeo', message: "unknown input 'rpeo': the pipeline does not declare it", hint: "did you mean 'repo'?" },
      { path: 'input.repo', message: "missing required input 'repo'", hint: 'give repo in the review input, e.g. { "repo": "text" } (a string)' },
      { path: 'input.number', message: "input 'number' must be a number, got a string \"42\"", hint: 'write 42 without quotes' },
      { path: 'input.mode', message: "input 'mode' is \"fsat\", which is not allowed", hint: "did you mean 'fast'? (allowed: fast, full)" },
    ]);
    expect(resolveInput({}, { anything: [1] })).toEqual({ ok: true, input: { anything: [1] } });
  });

  it('pr-review declares exactly what the webhook gives, and accepts a webhook input', () => {
    const pr = loadBuiltinPipeline('pr-review');
    expect(Object.keys(pr.inputs ?? {}).sort()).toEqual([...WEBHOOK_INPUTS].sort());
    const event = parsePullRequestEvent(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webhook', 'pull_request.opened.json'), 'utf8')));
    if (!event.ok) throw new Error(event.reason);
    const input = reviewInputFor(pullRequestInfo(event.event));
    const resolved = resolveInput(pr, { ...input, detailsUrl: 'http://127.0.0.1:8233/x' });
    expect(resolved).toMatchObject({ ok: true, input: { ...input, detailsUrl: 'http://127.0.0.1:8233/x' } });
  });

  it('every built-in pipeline declares its inputs', () => {
    for (const name of ['blog-review', 'pr-review', 'hotfix', 'feature-integration']) expect(Object.keys(loadBuiltinPipeline(name).inputs ?? {}).length).toBeGreaterThan(0);
  });
});

describe('the executor catalog file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written merged with the entries other workers wrote, and read back', () => {
    const path = join(dir, 'nested', 'executors.json');
    writeExecutorCatalog(path, [{ type: 'a', description: 'first', output: true }, { type: 'b', description: 'old' }]);
    writeExecutorCatalog(path, [{ type: 'b', description: 'new' }]);
    expect(readExecutorCatalog(path).executors.map((e) => [e.type, e.description])).toEqual([
      ['a', 'first'],
      ['b', 'new'],
    ]);
    expect(findExecutorCatalog(undefined, { REVIEW_EXECUTOR_CATALOG: path }).catalog?.executors).toHaveLength(2);
  });

  it('is optional unless named, and says what is wrong with a bad one', () => {
    expect(findExecutorCatalog(undefined, { REVIEW_EXECUTOR_CATALOG: join(dir, 'none.json') })).toEqual({ path: join(dir, 'none.json') });
    expect(findExecutorCatalog(undefined, { REVIEW_EXECUTOR_CATALOG: 'off' })).toEqual({});
    expect(findExecutorCatalog(undefined, { XDG_DATA_HOME: dir }).path).toBe(join(dir, 'review-orchestrator', 'executors.json'));
    expect(() => findExecutorCatalog(join(dir, 'none.json'))).toThrow(/file not found/);
    writeFileSync(join(dir, 'bad.json'), '{"version": 2, "executors": []}');
    expect(() => readExecutorCatalog(join(dir, 'bad.json'))).toThrow(/not an executor catalog: version/);
  });
});
