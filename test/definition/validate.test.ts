import { BUILTIN_EXECUTOR_TYPES } from '../../src/definition/builtin-executors';
import { assertValidPipeline, formatIssues, PipelineValidationError, validatePipeline, type ValidationIssue } from '../../src/definition/validate';

type Raw = Record<string, unknown>;

function issuesOf(raw: unknown, options: Parameters<typeof validatePipeline>[1] = {}): ValidationIssue[] {
  const result = validatePipeline(raw, options);
  if (result.ok) throw new Error('expected the pipeline to be invalid');
  return result.issues;
}

function only(raw: unknown, options: Parameters<typeof validatePipeline>[1] = {}): ValidationIssue {
  const issues = issuesOf(raw, options);
  expect(issues).toHaveLength(1);
  return issues[0] as ValidationIssue;
}

const pipeline = (steps: Raw[], extra: Raw = {}): Raw => ({ name: 'review', steps, ...extra });

describe('a valid pipeline', () => {
  it('comes back typed, with version as a string', () => {
    const result = validatePipeline(pipeline([{ id: 'lint', uses: 'command' }], { version: 2 }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.pipeline.version).toBe('2');
  });
});

describe('schema errors', () => {
  it('says when the document is not a map', () => {
    expect(only('steps: []')).toMatchObject({ path: '', message: expect.stringContaining('must be a map') });
  });

  it('reports missing fields with how to add them', () => {
    const issues = issuesOf({ steps: [{ uses: 'command' }] });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'name', message: "missing required field 'name'", hint: expect.stringContaining('pr-review') }),
        expect.objectContaining({ path: 'steps[0].id', message: "missing required field 'id'" }),
      ]),
    );
  });

  it('reports unknown fields at their own path with a suggestion', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', neds: ['b'] }]))).toMatchObject({
      path: 'steps[0].neds',
      message: "unknown field 'neds'",
      hint: "did you mean 'needs'?",
    });
    expect(only(pipeline([{ id: 'a', uses: 'command', retry: { attempts: 3 } }])).path).toBe('steps[0].retry.attempts');
  });

  it('reports invalid durations, naming the unit it could not read', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', timeout: { startToClose: '5 minutes' } }]))).toMatchObject({
      path: 'steps[0].timeout.startToClose',
      message: "unknown unit 'minutes' in '5 minutes': use ms, s, m, h, d or w",
      hint: expect.stringContaining('30s, 5m, 2h'),
    });
    expect(only(pipeline([{ id: 'a', uses: 'command', timeout: '5 mins' }]))).toMatchObject({
      path: 'steps[0].timeout',
      message: "unknown unit 'mins' in '5 mins': use ms, s, m, h, d or w",
    });
    expect(only({ name: 'p', timeout: '3 days', steps: [{ id: 'a', uses: 'command' }] })).toMatchObject({
      path: 'timeout',
      message: "unknown unit 'days' in '3 days': use ms, s, m, h, d or w",
    });
    expect(only(pipeline([{ id: 'a', uses: 'command', timeout: 5 }]))).toMatchObject({
      path: 'steps[0].timeout',
      message: 'expected a string or a map, got the number 5',
      hint: expect.stringContaining('a duration such as 5m'),
    });
  });

  it('reads timeout: 5m as { startToClose: 5m } on steps, actions, finally actions and defaults', () => {
    const result = validatePipeline({
      name: 'p',
      defaults: { timeout: '2m' },
      steps: [{ id: 'a', uses: 'command', timeout: '5m', undo: { uses: 'command', timeout: '30s' }, onFailure: { fallback: { uses: 'echo', timeout: '1h30m' } } }],
      finally: [{ uses: 'notify', timeout: '10s' }],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [step] = result.pipeline.steps;
    expect(result.pipeline.defaults?.timeout).toEqual({ startToClose: '2m' });
    expect(step?.timeout).toEqual({ startToClose: '5m' });
    expect(step?.undo?.timeout).toEqual({ startToClose: '30s' });
    expect(step?.onFailure).toEqual({ fallback: { uses: 'echo', timeout: { startToClose: '1h30m' } } });
    expect(result.pipeline.finally?.[0]?.timeout).toEqual({ startToClose: '10s' });
  });

  it('reports invalid enum values with a suggestion', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', priority: 'hihg' }]))).toMatchObject({ path: 'steps[0].priority', hint: "did you mean 'high'?" });
  });

  it('explains a wrongly typed value', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', retry: { maxAttempts: '3' } }]))).toMatchObject({ message: 'expected a number, got the string "3"', hint: 'write the number without quotes' });
    expect(only(pipeline([{ id: 'a', uses: 'command', needs: 'b' }], {})).hint).toBe('write a list, e.g. [b]');
  });

  it('explains onFailure, and looks inside a malformed fallback', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', onFailure: 'ignore' }]))).toMatchObject({
      path: 'steps[0].onFailure',
      message: expect.stringContaining("expected 'fail', 'continue' or a map"),
    });
    expect(only(pipeline([{ id: 'a', uses: 'command', onFailure: { fallback: { with: {} } } }]))).toMatchObject({
      path: 'steps[0].onFailure.fallback.uses',
      message: "missing required field 'uses'",
    });
  });

  it('reports an empty step list and invalid ids', () => {
    expect(only({ name: 'x', steps: [] })).toMatchObject({ path: 'steps', message: 'steps needs at least 1 item' });
    expect(only(pipeline([{ id: '1st', uses: 'command' }]))).toMatchObject({ path: 'steps[0].id', message: 'the string "1st" is not a valid id' });
  });
});

describe('structure', () => {
  it('rejects a step with both uses and gate, or neither', () => {
    expect(only(pipeline([{ id: 'a', uses: 'command', gate: { approvers: ['x'] } }]))).toMatchObject({ path: 'steps[0].gate', message: "step 'a' has both uses and gate" });
    expect(only(pipeline([{ id: 'a' }]))).toMatchObject({ path: 'steps[0]', message: "step 'a' has neither uses nor gate" });
  });

  it('rejects duplicate step ids', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x' }, { id: 'a', uses: 'y' }]))).toMatchObject({
      path: 'steps[1].id',
      message: "duplicate step id 'a' (already used by steps[0])",
    });
  });

  it('rejects unknown needs with a did-you-mean', () => {
    expect(only(pipeline([{ id: 'tests', uses: 'x' }, { id: 'report', uses: 'y', needs: ['tset'] }]))).toMatchObject({
      path: 'steps[1].needs[0]',
      message: "unknown step 'tset' in needs",
      hint: "did you mean 'tests'?",
    });
  });

  it('rejects a need listed twice', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x' }, { id: 'b', uses: 'y', needs: ['a', 'a'] }])).path).toBe('steps[1].needs[1]');
  });

  it('names dependency cycles', () => {
    const issue = only(pipeline([{ id: 'lint', uses: 'x', needs: ['report'] }, { id: 'report', uses: 'y', needs: ['lint'] }]));
    expect(issue).toMatchObject({ path: 'steps[0].needs[0]', message: 'dependency cycle: lint -> report -> lint' });
    expect(only(pipeline([{ id: 'a', uses: 'x', needs: ['a'] }])).message).toBe('dependency cycle: a -> a');
  });

  it('reports every cycle', () => {
    const issues = issuesOf(
      pipeline([
        { id: 'a', uses: 'x', needs: ['b'] },
        { id: 'b', uses: 'x', needs: ['a'] },
        { id: 'c', uses: 'x', needs: ['c'] },
      ]),
    );
    expect(issues.map((i) => i.message)).toEqual(['dependency cycle: a -> b -> a', 'dependency cycle: c -> c']);
  });
});

describe('executor types', () => {
  const executorTypes = BUILTIN_EXECUTOR_TYPES;

  it('are not checked without a registry', () => {
    expect(validatePipeline(pipeline([{ id: 'a', uses: 'anything' }])).ok).toBe(true);
  });

  it('must be registered, in steps and in every action', () => {
    const issues = issuesOf(
      pipeline([
        { id: 'a', uses: 'comand', undo: { uses: 'rollback' }, onFailure: { fallback: { uses: 'http' } } },
        { id: 'g', gate: { approvers: ['x'], deadline: '1h', reminders: ['30m'], remind: { uses: 'pager' }, escalate: { uses: 'notfy' } } },
      ]),
      { executorTypes },
    );
    expect(issues.map((i) => i.path)).toEqual(['steps[0].uses', 'steps[0].undo.uses', 'steps[1].gate.remind.uses', 'steps[1].gate.escalate.uses']);
    expect(issues[0]).toMatchObject({ message: "unknown executor type 'comand'", hint: expect.stringContaining("did you mean 'command'?") });
    expect(issues[3]?.hint).toContain("did you mean 'notify'?");
    expect(issues[1]?.hint).toMatch(/register an executor for it, or use one of: (\S+, )*command, (\S+, )*http\b/);
  });
});

describe('expressions', () => {
  const params = { language: { type: 'string', default: 'en' } };

  it('may reference declared params, any input, and upstream steps', () => {
    const raw = pipeline(
      [
        { id: 'a', uses: 'x', with: { l: '${{ params.language }}', i: '${{ input.anything.deep }}' } },
        { id: 'b', uses: 'x', needs: ['a'] },
        { id: 'c', uses: 'x', needs: ['b'], if: "steps.a.output.ok && steps.b.status == 'succeeded'", with: { all: '${{ steps.a }}' } },
      ],
      { params },
    );
    expect(validatePipeline(raw).ok).toBe(true);
  });

  it('reads names ignoring case, as the expressions do', () => {
    const raw = pipeline(
      [
        { id: 'lint', uses: 'x' },
        { id: 'b', uses: 'x', needs: ['lint'], if: "Steps.LINT.Status == 'SUCCEEDED'", with: { l: '${{ PARAMS.Language }}', o: '${{ steps.Lint.OUTPUT }}' } },
      ],
      { params },
    );
    expect(validatePipeline(raw).ok).toBe(true);
  });

  it('allows status functions in if: of steps and finally actions, and refuses them everywhere else', () => {
    const ok = pipeline(
      [
        { id: 'a', uses: 'x' },
        { id: 'b', uses: 'x', needs: ['a'], if: '${{ failure() }}' },
        { id: 'c', needs: ['a'], if: '!failure() && !Cancelled()', gate: { approvers: ['x'] } },
        { id: 'd', uses: 'x', needs: ['b', 'c'], if: "always() && steps.a.status == 'failed'" },
      ],
      { finally: [{ uses: 'x', if: 'success() || failure() || cancelled()' }] },
    );
    expect(validatePipeline(ok).ok).toBe(true);
    const issues = issuesOf(
      pipeline(
        [
          { id: 'a', uses: 'x', with: { s: '${{ success() }}' }, undo: { uses: 'x', with: { f: "${{ format('{0}', failure()) }}" } } },
          { id: 'g', needs: ['a'], gate: { approvers: ['x'], deadline: '1h', escalate: { uses: 'x', with: { c: '${{ cancelled() }}' } } } },
        ],
        { finally: [{ uses: 'x', with: { a: '${{ always() }}' } }] },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['steps[0].with.s', 'steps[0].undo.with.f', 'steps[1].gate.escalate.with.c', 'finally[0].with.a']);
    expect(issues[0]?.message).toBe(
      "invalid expression: success() can only be used in an if: condition (of a step or a finally action): it tells whether what came before succeeded, failed or was cancelled; read a step's outcome here with steps.<id>.status (column 5 of \"${{ success() }}\")",
    );
    expect(issues[0]?.hint).toContain('if: conditions may also call success(), failure(), always() and cancelled()');
  });

  it('explains status functions written without parentheses or with arguments', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', if: 'failure' }])).message).toContain("unknown name 'failure': failure is a function: write failure() in an if: condition");
    expect(only(pipeline([{ id: 'a', uses: 'x', if: "success('a')" }])).message).toContain('success() takes 0 arguments, got 1');
  });

  it('refuses an empty condition, which would always skip the step', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', if: '${{ }}' }]))).toMatchObject({ path: 'steps[0].if', message: 'the condition is empty' });
  });

  it('refuses steps.* because it would read steps that are not upstream', () => {
    const issue = only(pipeline([{ id: 'a', uses: 'x' }, { id: 'b', uses: 'x', needs: ['a'], if: "contains(steps.*.status, 'failed')" }]));
    expect(issue).toMatchObject({ path: 'steps[1].if', message: 'steps.* does not name a step' });
    expect(issue.hint).toContain('steps.* would read steps that are not upstream');
  });

  it('rejects undeclared params with a suggestion', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', with: { deep: { list: ['${{ params.langauge }}'] } } }], { params }))).toMatchObject({
      path: 'steps[0].with.deep.list[0]',
      message: "params.langauge refers to an undeclared param 'langauge'",
      hint: "did you mean 'language'?",
    });
    expect(only(pipeline([{ id: 'a', uses: 'x', if: 'params.flag' }])).hint).toContain('declare it under params');
  });

  it('rejects steps that are unknown, not upstream, the step itself, or not addressed by id', () => {
    const issues = issuesOf(
      pipeline([
        { id: 'a', uses: 'x' },
        { id: 'b', uses: 'x', with: { x: '${{ steps.a.output }}', y: '${{ steps.nope.status }}', z: '${{ steps.b.output }}' } },
        { id: 'c', uses: 'x', needs: ['a'], with: { w: '${{ steps.a.outputs.x }}', v: '${{ steps[input.which].status }}' } },
      ]),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath['steps[1].with.x']).toMatchObject({ message: "step 'b' reads steps.a.output, but 'a' is not upstream of it", hint: "add 'a' to the needs of 'b', directly or through a step it needs" });
    expect(byPath['steps[1].with.y']?.message).toBe("steps.nope.status refers to an unknown step 'nope'");
    expect(byPath['steps[1].with.z']?.message).toContain('refers to its own result');
    expect(byPath['steps[2].with.w']).toMatchObject({ message: "steps.a.outputs.x: steps have no 'outputs'", hint: 'use steps.a.output.<field> or steps.a.status' });
    expect(byPath['steps[2].with.v']?.message).toBe('steps does not name a step');
  });

  it('accepts transitive upstream steps and self references in undo and fallback', () => {
    const raw = pipeline([
      { id: 'a', uses: 'x' },
      { id: 'b', uses: 'x', needs: ['a'] },
      {
        id: 'c',
        uses: 'x',
        needs: ['b'],
        with: { v: '${{ steps.a.output.v }}' },
        undo: { uses: 'x', with: { id: '${{ steps.c.output.id }}' } },
        onFailure: { fallback: { uses: 'x', with: { why: '${{ steps.c.status }}' } } },
      },
    ]);
    expect(validatePipeline(raw).ok).toBe(true);
  });

  it('checks expressions in conditions, actions and gate actions', () => {
    const issues = issuesOf(
      pipeline([
        { id: 'a', uses: 'x', if: 'params.x ==', undo: { uses: 'x', with: { v: '${{ params.nope }}' } } },
        { id: 'g', gate: { approvers: ['x'], deadline: '1h', escalate: { uses: 'x', with: { t: '${{ steps.a.status }}' } } } },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual(['steps[0].if', 'steps[0].undo.with.v', 'steps[1].gate.escalate.with.t']);
    expect(issues[0]?.message).toMatch(/^invalid expression: the expression ends too early/);
  });

  it('reports syntax errors with the column', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', with: { v: 'x ${{ input.a = 1 }}' } }])).message).toBe(
      'invalid expression: unexpected \'=\': compare with == (column 15 of "x ${{ input.a = 1 }}")',
    );
  });

  it('rejects a condition split over several ${{ }}', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', if: '${{ input.a }} && ${{ input.b }}' }])).message).toContain('inside one ${{ }}');
  });
});

describe('gates', () => {
  const gate = (spec: Raw): Raw => pipeline([{ id: 'approve', gate: spec }]);

  it('rejects impossible quorums', () => {
    expect(only(gate({ approvers: ['ann', 'bob', 'ann'], required: 3 }))).toMatchObject({
      path: 'steps[0].gate.required',
      message: "gate 'approve' needs 3 approvals but names only 2 approvers",
    });
  });

  it('accepts large quorums when a role or anyone may approve', () => {
    expect(validatePipeline(gate({ approvers: ['ann', 'role:editor'], required: 5 })).ok).toBe(true);
    expect(validatePipeline(gate({ approvers: ['*'], required: 2 })).ok).toBe(true);
  });

  it('rejects reminders not shorter than the deadline', () => {
    const issues = issuesOf(gate({ approvers: ['ann'], deadline: '48h', reminders: ['24h', '2d', '3d', '0s'] }));
    expect(issues.map((i) => i.path)).toEqual(['steps[0].gate.reminders[1]', 'steps[0].gate.reminders[2]', 'steps[0].gate.reminders[3]']);
    expect(issues[0]?.message).toBe('reminder 2d is not shorter than the deadline 48h');
  });

  it('rejects reminders, escalation and onTimeout without a deadline', () => {
    const issues = issuesOf(gate({ approvers: ['ann'], reminders: ['1h'], escalate: { uses: 'notify' }, onTimeout: 'approve' }));
    expect(issues.map((i) => i.path)).toEqual(['steps[0].gate.reminders', 'steps[0].gate.escalate', 'steps[0].gate.onTimeout']);
    expect(issues[0]?.hint).toContain('add deadline:');
  });

  it('rejects a zero deadline', () => {
    expect(only(gate({ approvers: ['ann'], deadline: '0s' })).path).toBe('steps[0].gate.deadline');
  });
});

describe('params', () => {
  it('rejects defaults of the wrong type', () => {
    const issues = issuesOf(
      pipeline([{ id: 'a', uses: 'x' }], {
        params: {
          n: { type: 'number', default: '3' },
          s: { type: 'string', default: 4 },
          b: { type: 'boolean', default: 'true' },
          l: { type: 'list', default: 'a,b' },
          o: { type: 'object', default: [] },
          ok: { type: 'object', default: {} },
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['params.n.default', 'params.s.default', 'params.b.default', 'params.l.default', 'params.o.default']);
    expect(issues[0]).toMatchObject({ message: 'default "3" is not a number', hint: 'write the number without quotes' });
    expect(issues[2]?.hint).toBe('write true or false without quotes');
  });

  it('rejects defaults outside enum and enum values of the wrong type', () => {
    const issues = issuesOf(pipeline([{ id: 'a', uses: 'x' }], { params: { lang: { type: 'string', enum: ['en', 2], default: 'fr' } } }));
    expect(issues.map((i) => i.path)).toEqual(['params.lang.enum[1]', 'params.lang.default']);
  });
});

describe('other rules', () => {
  it('rejects maxInterval shorter than initialInterval, and unknown secret keys', () => {
    const issues = issuesOf(pipeline([{ id: 'a', uses: 'x', retry: { initialInterval: '10s', maxInterval: '1s' }, with: { token: 't' }, secret: ['tokn'] }]));
    expect(issues.map((i) => i.path)).toEqual(['steps[0].retry.maxInterval', 'steps[0].secret[0]']);
    expect(issues[1]?.hint).toBe("did you mean 'token'?");
  });

  it('refuses durations of 0 where Temporal refuses them or a review would end at once', () => {
    const issues = issuesOf(
      pipeline(
        [
          { id: 'a', uses: 'x', timeout: '0s', retry: { initialInterval: '0.4ms' } },
          { id: 'b', uses: 'x', timeout: { startToClose: '1m', heartbeat: '0s' }, undo: { uses: 'x', timeout: { scheduleToClose: '0m' } } },
          { id: 'c', gate: { approvers: ['alice'], remind: { uses: 'x', retry: { initialInterval: '0ms', maxInterval: '0ms' } } } },
        ],
        { timeout: '0h', defaults: { timeout: { scheduleToStart: '0s' } }, finally: [{ uses: 'x', timeout: '0ms' }] },
      ),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'timeout',
        'defaults.timeout.scheduleToStart',
        'steps[0].timeout',
        'steps[0].retry.initialInterval',
        'steps[1].timeout.heartbeat',
        'steps[1].undo.timeout.scheduleToClose',
        'steps[2].gate.remind.retry.initialInterval',
        'steps[2].gate.remind.retry.maxInterval',
        'finally[0].timeout',
      ].sort(),
    );
    const byPath = new Map(issues.map((i) => [i.path, i]));
    expect(byPath.get('steps[0].timeout')).toMatchObject({ message: 'timeout 0s is 0 ms: it leaves the step no time to run', hint: expect.stringContaining('5m') });
    expect(byPath.get('steps[0].retry.initialInterval')?.message).toBe('initialInterval 0.4ms is 0 ms: Temporal refuses a retry policy without a delay');
    expect(byPath.get('timeout')?.message).toBe('timeout 0h is 0 ms: the review would time out as it starts');
    expect(byPath.get('steps[1].timeout.heartbeat')?.hint).toContain('leave heartbeat out for none');
  });

  it('refuses the fields of a task step that a gate would ignore, saying what to write instead', () => {
    const issues = issuesOf(pipeline([{ id: 'ok', gate: { approvers: ['alice'], deadline: '48h' }, with: { who: 'x' }, retry: { maxAttempts: 2 }, timeout: '48h' }]));
    expect(issues.map((i) => `${i.path}: ${i.message} (${i.hint})`)).toEqual([
      'steps[0].with: a gate runs nothing, so with does not apply to it (remove with; reminders and escalations take their own with (gate.remind, gate.escalate))',
      'steps[0].retry: a gate runs nothing, so retry does not apply to it (remove retry; gate.remind and gate.escalate take their own retry)',
      'steps[0].timeout: a gate runs nothing, so timeout does not apply to it (remove timeout; how long a gate waits is gate.deadline)',
    ]);
  });

  it('reports an empty if: once', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', if: '' }]))).toMatchObject({ path: 'steps[0].if' });
    expect(only(pipeline([{ id: 'a', uses: 'x', if: '${{ }}' }]))).toMatchObject({ path: 'steps[0].if', message: 'the condition is empty' });
  });

  it('reports a 0 maxInterval once, as shorter than the initial interval', () => {
    expect(only(pipeline([{ id: 'a', uses: 'x', retry: { maxInterval: '0ms' } }]))).toMatchObject({ path: 'steps[0].retry.maxInterval', message: 'maxInterval 0ms is shorter than initialInterval 1s' });
  });
});

describe('all errors at once, located', () => {
  it('reports schema and semantic problems together, with file and lines', () => {
    const raw = pipeline([
      { id: 'a', uses: 'x', needs: ['b'], timeout: { startToClose: 'soon' } },
      { id: 'b', uses: 'x', needs: ['a', 'ghost'] },
      { id: 'b', uses: 'x' },
    ]);
    const lines: Record<string, number> = { 'steps.0': 3, 'steps.0.needs.0': 4, 'steps.0.timeout.startToClose': 5, 'steps.1': 6, 'steps.1.needs.1': 7, 'steps.2.id': 9 };
    const issues = issuesOf(raw, { file: 'p.yaml', lineOf: (path) => lines[path.join('.')] });
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [4, 'steps[0].needs[0]'],
      [5, 'steps[0].timeout.startToClose'],
      [7, 'steps[1].needs[1]'],
      [9, 'steps[2].id'],
    ]);
    expect(issues.every((i) => i.file === 'p.yaml' && i.hint.length > 0)).toBe(true);
    expect(formatIssues(issues).split('\n')[0]).toBe('p.yaml:4 steps[0].needs[0]: dependency cycle: a -> b -> a (remove one of these needs so the steps can run in order)');
  });

  it('assertValidPipeline throws PipelineValidationError carrying the issues', () => {
    try {
      assertValidPipeline(pipeline([{ id: 'a' }]), { file: 'x.yaml' });
      throw new Error('expected a PipelineValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineValidationError);
      expect((error as PipelineValidationError).issues).toHaveLength(1);
      expect((error as Error).message).toContain('invalid pipeline x.yaml:\nx.yaml steps[0]: ');
    }
  });
});

describe('formatIssues', () => {
  it('prints one line per issue: file:line path: message (hint)', () => {
    expect(
      formatIssues([
        { file: 'a.yaml', line: 3, path: 'steps[0].uses', message: 'bad', hint: 'fix it' },
        { path: 'name', message: 'missing', hint: 'add it' },
        { path: '', message: 'broken', hint: '' },
      ]),
    ).toBe('a.yaml:3 steps[0].uses: bad (fix it)\nname: missing (add it)\nbroken');
  });
});
