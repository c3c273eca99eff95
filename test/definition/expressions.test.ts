import {
  conditionUsesStatusFunction,
  evaluateCondition,
  evaluateExpression,
  ExpressionError,
  interpolate,
  parseExpression,
  referencesIn,
  referencesInCondition,
  parseCondition,
  splitTemplate,
  usesStatusFunction,
  type ExpressionContext,
} from '../../src/definition/expressions';

const ctx: ExpressionContext = {
  params: { language: 'en', strict: true, count: 3, tags: ['a', 'b'], empty: '' },
  input: { article: 'posts/a.md', pr: { number: 42, labels: ['bug', 'ui'] }, nested: { 'odd key': 'v' } },
  steps: {
    lint: { status: 'succeeded', output: { errors: 0, findings: [{ rule: 'MD001' }] } },
    tests: { status: 'failed' },
    'security-scan': { status: 'skipped' },
  },
};

const run = (source: string): unknown => evaluateExpression(source, ctx);

describe('literals and references', () => {
  it.each([
    ['1', 1],
    ['-2.5', -2.5],
    ['0x10', 16],
    ['1e3', 1000],
    ["'it''s'", "it's"],
    ["'a''b''c'", "a'b'c"],
    ['.5', 0.5],
    ['+1', 1],
    ['0o10', 8],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['true', true],
    ['false', false],
    ['null', null],
    ['params.language', 'en'],
    ['input.pr.number', 42],
    ['input.pr.labels[1]', 'ui'],
    ["input.pr['number']", 42],
    ["input.nested['odd key']", 'v'],
    ['steps.lint.output.findings[0].rule', 'MD001'],
    ['steps.security-scan.status', 'skipped'],
    ['steps.lint.output.missing.deeper', null],
    ['Params.LANGUAGE', 'en'],
    ['STEPS.Lint.Output.Errors', 0],
    ['input.pr.labels[true]', 'ui'],
    ["input.pr.labels[' 0x01 ']", 'ui'],
    ['input.pr.labels[null]', 'bug'],
    ['input.pr.labels[1.9]', 'ui'],
    ['input.pr.labels[-1]', null],
    ['steps.*.status', ['succeeded', 'failed', 'skipped']],
    ['input.pr.labels.*', ['bug', 'ui']],
    ['steps.lint.output.findings.*.rule', ['MD001']],
    ['steps[*].output.errors', [0]],
    ['params.language.*', []],
    ['input.pr.labels[9]', null],
    ['params.nope', null],
    ['input.pr.number.toString', null],
    ['input.constructor', null],
    ['input.pr.labels[params.count]', null],
  ])('%s evaluates to %p', (source, value) => {
    expect(run(source)).toEqual(value);
  });
});

describe('operators', () => {
  it.each([
    ['1 == 1', true],
    ["'1' == 1", true],
    ["'a' == 'A'", true],
    ["'ABC' < 'abd'", true],
    ['null == null', true],
    ['null == 0', true],
    ["null == ''", true],
    ['true == 1', true],
    ["input.pr.labels == fromJSON('[\"bug\",\"ui\"]')", false],
    ['input.pr.labels == input.pr.labels', true],
    ['NaN == NaN', false],
    ['1 != 2', true],
    ['2 < 10', true],
    ["'2' < '10'", false],
    ["'b' >= 'a'", true],
    ["'x' < 1", false],
    ['3 <= params.count', true],
    ['params.count > 3', false],
    ['!params.strict', false],
    ['!params.empty', true],
    ['!!input.pr', true],
    ["params.strict && 'yes'", 'yes'],
    ["params.empty || 'fallback'", 'fallback'],
    ['params.empty && 1', ''],
    ["(1 == 1 || false) && !(2 < 1)", true],
    ['1 == 1 && 2 == 3 || true', true],
  ])('%s is %p', (source, value) => {
    expect(run(source)).toEqual(value);
  });
});

describe('functions', () => {
  it.each([
    ["contains(input.pr.labels, 'bug')", true],
    ["contains(input.pr.labels, 'feature')", false],
    ["contains('hello world', 'lo w')", true],
    ["contains(input.pr.labels, 'BUG')", true],
    ["contains('Hello', 'hELL')", true],
    ["StartsWith(input.article, 'POSTS/')", true],
    ["toJson(params.count)", '3'],
    ["startsWith(input.article, 'posts/')", true],
    ["endsWith(input.article, '.md')", true],
    ['join(params.tags)', 'a,b'],
    ["join(params.tags, ' | ')", 'a | b'],
    ['join(params.tags, 1)', 'a1b'],
    ['join(params.tags, params.tags)', 'a,b'],
    ["join(fromJSON('[[1], {}, null, 0.1, true]'))", 'Array,Object,,0.1,true'],
    ["format('{0} {1} {2}', params.tags, input.pr, 0.84551240822557006)", 'Array Object 0.84551240822557'],
    ["case(params.language == 'EN', 'english', params.strict, 'strict', 'other')", 'english'],
    ["case(false, 'a', params.strict, 'strict', 'other')", 'strict'],
    ["case(false, 'a', false, 'b', 'other')", 'other'],
    ['toJSON(params.tags)', '[\n  "a",\n  "b"\n]'],
    ["fromJSON('{\"a\": [1]}').a[0]", 1],
    ["format('{0} of {1} {{literal}}', 1, 'two')", '1 of two {literal}'],
    ["format('{0}', null)", ''],
  ])('%s is %p', (source, value) => {
    expect(run(source)).toEqual(value);
  });

  it('reports runtime misuse of format and fromJSON', () => {
    expect(() => run("format('{1}', 'a')")).toThrow(/placeholder \{1\} has no argument/);
    expect(() => run("format('{x}')")).toThrow(/placeholder like \{0\}/);
    expect(() => run("format('a}')")).toThrow(/unmatched '\}'/);
    expect(() => run("fromJSON('nope')")).toThrow(ExpressionError);
    expect(() => run("fromJSON('  ')")).toThrow(/fromJSON\(\): the text is empty/);
    expect(() => run("case(params.count, 'a', 'b')")).toThrow(/case\(\): condition 1 is number, not a boolean/);
  });

  it('names each runtime error by its stage and kind', () => {
    const error = (() => {
      try {
        run("format('{2}', 'a')");
      } catch (e) {
        return e as ExpressionError;
      }
      throw new Error('expected an ExpressionError');
    })();
    expect({ stage: error.stage, code: error.code, position: error.position }).toEqual({ stage: 'evaluation', code: 'format-arguments', position: 0 });
  });

  it('refuses values over 1 MB rather than building them', () => {
    const big = { params: { text: 'x'.repeat(300_000) }, input: {}, steps: {} };
    expect(evaluateExpression("format('{0}', params.text)", big)).toHaveLength(300_000);
    expect(() => evaluateExpression("format('{0}{0}', params.text) == format('{0}{0}', params.text)", big)).toThrow(/more than 1 MB/);
  });
});

describe('syntax errors', () => {
  it.each([
    ['1 ==', /ends too early/],
    ['== 1', /unexpected operator '=='/],
    ['a.b', /unknown name 'a'/],
    ['params.', /expected a property name/],
    ["'open", /unterminated string/],
    ['params.x = 1', /compare with ==/],
    ['params.x & 1', /use && or \|\|/],
    ['nope(1)', /unknown function 'nope'/],
    ['contains(1)', /contains\(\) takes 2 arguments, got 1/],
    ['length(params.tags)', /unknown function 'length': there is no length\(\)/],
    ['toJSON(1, 2)', /toJSON\(\) takes 1 argument, got 2/],
    ['format()', /format\(\) takes 1 to 255 arguments, got 0/],
    ["case(true, 'a')", /case\(\) takes at least 3 arguments, got 2/],
    ["case(true, 'a', false, 'b')", /odd number of arguments, got 4/],
    ['(1', /ends too early after '1': add the closing '\)'/],
    ['(1 2)', /expected '\)' to close the parenthesis, found '2'/],
    ['join(1 2)', /expected ',' or '\)' in the call of join\(\), found '2'/],
    ['inputs.x', /unknown name 'inputs': the review input is input/],
    ['success()', /success\(\) can only be used in an if: condition/],
    ['format(failure())', /failure\(\) can only be used in an if: condition/],
    ['success', /unknown name 'success': success is a function: write success\(\) in an if: condition/],
    ['hashFiles(input.x)', /unknown function 'hashFiles': there is no hashFiles\(\)/],
    ["'abc'[0]", /unexpected '\[' after a complete expression/],
    ['1)', /unexpected '\)' after a complete expression: remove it or add the matching '\('/],
    ['1 - 2', /unexpected '-': there is no arithmetic/],
    ['1-2', /malformed number '1-2'/],
    ['input[1', /expected '\]'/],
    ['1 2', /unexpected '2' after a complete expression/],
    ['12abc', /malformed number/],
    ['"text"', /write strings in single quotes/],
    ['params.b@r', /unexpected 'b@r': names hold only letters/],
    ['.github/workflow', /'\.' reads a property only after a name/],
    ['!'.repeat(50) + 'true', /nested too deeply: at most 50 levels/],
    ['x'.repeat(21_001), /at most 21000 are allowed/],
    ['#', /unexpected character '#'/],
  ])('%p fails with %p', (source, pattern) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    expect(() => parseExpression(source)).toThrow(pattern);
  });

  it('gives the position of the problem in the original string', () => {
    try {
      interpolate('prefix ${{ params.a == }} suffix', ctx);
      throw new Error('expected an ExpressionError');
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionError);
      const e = error as ExpressionError;
      expect(e.source).toBe('prefix ${{ params.a == }} suffix');
      // As GitHub reports it: at the last token before the missing value.
      expect(e.position).toBe(e.source.indexOf('=='));
      expect(e.reason).toMatch(/ends too early after '=='/);
      expect(e.message).toContain(`column ${e.position + 1}`);
    }
  });

  it('rejects an unterminated ${{', () => {
    expect(() => splitTemplate('a ${{ params.x')).toThrow(/unterminated \$\{\{/);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseExpression('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(/nested too deeply/);
  });

  it("accepts nesting up to GitHub's limit", () => {
    expect(evaluateExpression('!'.repeat(49) + 'true', ctx)).toBe(false);
    expect(evaluateExpression('('.repeat(49) + '1' + ')'.repeat(49), ctx)).toBe(1);
  });

  it('tells lexing from parsing errors', () => {
    const stageOf = (source: string) => {
      try {
        parseExpression(source);
      } catch (e) {
        return [(e as ExpressionError).stage, (e as ExpressionError).code];
      }
      return undefined;
    };
    expect(stageOf('1 @ 2')).toEqual(['lexing', 'unexpected-symbol']);
    expect(stageOf('1 <')).toEqual(['parsing', 'unexpected-end']);
    expect(stageOf('nope.x')).toEqual(['parsing', 'unknown-context']);
  });

  it('reads an empty expression as null, as GitHub does', () => {
    expect(evaluateExpression('', ctx)).toBeNull();
    expect(interpolate('${{ }}', ctx)).toBeNull();
  });

  it('reads other names when the caller supplies them, ignoring case', () => {
    expect(evaluateExpression("Matrix.OS == 'LINUX'", { matrix: { os: 'linux' } }, { contexts: ['matrix'] })).toBe(true);
    expect(() => parseExpression('params.x', 0, 'params.x', { contexts: ['matrix'] })).toThrow(/unknown name 'params': start a reference with matrix/);
    expect(() => parseExpression('constructor.x')).toThrow(/unknown name 'constructor': start a reference with params, input, steps/);
    expect(() => parseExpression('constructor(1)')).toThrow(/unknown function 'constructor': use one of case,/);
  });
});

describe('interpolate', () => {
  it('turns a string that is exactly one expression into the typed value', () => {
    expect(interpolate('${{ params.count }}', ctx)).toBe(3);
    expect(interpolate('  ${{ params.tags }}\n', ctx)).toEqual(['a', 'b']);
    expect(interpolate('${{ params.strict }}', ctx)).toBe(true);
    expect(interpolate('${{ input.missing }}', ctx)).toBeNull();
  });

  it('stringifies expressions embedded in text', () => {
    expect(interpolate('n=${{ params.count }}, tags=${{ params.tags }}, pr=${{ input.pr }}, none=${{ input.missing }}.', ctx)).toBe('n=3, tags=Array, pr=Object, none=.');
    expect(interpolate('tags=${{ join(params.tags) }}, pr=${{ toJSON(input.pr.number) }}', ctx)).toBe('tags=a,b, pr=42');
    expect(interpolate('${{ params.count }}${{ params.count }}', ctx)).toBe('33');
  });

  it('handles }} inside string literals of an expression', () => {
    expect(interpolate("${{ format('{0}}}', 'x') }}", ctx)).toBe('x}');
  });

  it('walks objects and arrays deeply without touching keys or the original', () => {
    const value = { '${{ params.language }}': ['${{ params.language }}', { n: '${{ params.count }}' }], keep: 5, flag: false };
    const copy = structuredClone(value);
    expect(interpolate(value, ctx)).toEqual({ '${{ params.language }}': ['en', { n: 3 }], keep: 5, flag: false });
    expect(value).toEqual(copy);
  });

  it('leaves strings without expressions alone', () => {
    expect(interpolate('plain $ { text }', ctx)).toBe('plain $ { text }');
  });
});

describe('evaluateCondition', () => {
  it('accepts conditions with or without ${{ }}', () => {
    expect(evaluateCondition("steps.tests.status == 'failed'", ctx)).toBe(true);
    expect(evaluateCondition("${{ steps.tests.status == 'failed' }}", ctx)).toBe(true);
    expect(evaluateCondition('${{ steps.lint.output.errors }}', ctx)).toBe(false);
    expect(evaluateCondition('params.language', ctx)).toBe(true);
  });

  it('refuses a condition split over several ${{ }}', () => {
    expect(() => evaluateCondition('${{ params.strict }} && ${{ params.count }}', ctx)).toThrow(/inside one \$\{\{ \}\}/);
  });
});

describe('status functions in conditions', () => {
  const failing = { success: false, failure: true, cancelled: false };
  const cancelling = { success: false, failure: false, cancelled: true };

  it('return what the caller says of the step, always() true; by default nothing failed', () => {
    expect(evaluateCondition('success()', ctx)).toBe(true);
    expect(evaluateCondition('failure() || cancelled()', ctx)).toBe(false);
    expect(evaluateCondition('${{ failure() }}', ctx, failing)).toBe(true);
    expect(evaluateCondition('success()', ctx, failing)).toBe(false);
    expect(evaluateCondition('!failure() && !cancelled()', ctx, cancelling)).toBe(false);
    expect(evaluateCondition('always()', ctx, cancelling)).toBe(true);
    expect(evaluateCondition("${{ failure() && steps.tests.status == 'failed' }}", ctx, failing)).toBe(true);
  });

  it('ignore case as every function does, and take no arguments', () => {
    expect(evaluateCondition('Failure() && ALWAYS()', ctx, failing)).toBe(true);
    expect(() => evaluateCondition('always(1)', ctx)).toThrow(/always\(\) takes 0 arguments, got 1/);
  });

  it('are found anywhere in a condition, and only in conditions', () => {
    const uses = (text: string) => usesStatusFunction(parseCondition(text).ast);
    expect(uses('always()')).toBe(true);
    expect(uses("steps.a.status == 'failed' || (params.x && !cancelled())")).toBe(true);
    expect(uses("format('{0}', success()) == 'true'")).toBe(true);
    expect(uses("input.list[failure() && 1]")).toBe(true);
    expect(uses("steps.a.status == 'failed'")).toBe(false);
    expect(conditionUsesStatusFunction("'success()' == input.x")).toBe(false);
    expect(conditionUsesStatusFunction('${{ !failure() }}')).toBe(true);
    expect(conditionUsesStatusFunction('failure(')).toBe(false);
    expect(conditionUsesStatusFunction(undefined)).toBe(false);
    expect(() => interpolate('${{ success() }}', ctx)).toThrow(/only be used in an if: condition/);
  });
});

describe('referencesIn', () => {
  it('lists every params, input and steps reference with its static path', () => {
    const refs = referencesIn({
      a: "${{ params.language == 'en' && contains(steps.lint.output.findings, input.rule) }}",
      b: ['x ${{ steps.security-scan.status }}', { c: '${{ input.pr.labels[0] }}' }],
      d: "${{ input.nested['odd key'] }}",
      e: '${{ steps.lint.output[params.key].x }}',
      f: 42,
    });
    expect(refs.map((r) => r.text).sort()).toEqual(
      [
        'params.language',
        'steps.lint.output.findings',
        'input.rule',
        'steps.security-scan.status',
        'input.pr.labels[0]',
        'input.nested["odd key"]',
        'steps.lint.output',
        'params.key',
      ].sort(),
    );
    const lint = refs.find((r) => r.text === 'steps.lint.output.findings');
    expect(lint).toMatchObject({ root: 'steps', path: ['lint', 'output', 'findings'] });
  });

  it('gives positions in the string', () => {
    const [ref] = referencesIn('abc ${{ params.x }}');
    expect(ref?.position).toBe('abc ${{ '.length);
  });

  it('finds references in conditions written without ${{ }}', () => {
    expect(referencesInCondition("steps.a.status == 'failed' || params.force").map((r) => r.text)).toEqual(['steps.a.status', 'params.force']);
  });

  it('throws ExpressionError on bad syntax', () => {
    expect(() => referencesIn({ x: '${{ params. }}' })).toThrow(ExpressionError);
  });
});

describe('positions of runtime errors', () => {
  it('point into the original string', () => {
    const text = "x ${{ format('{3}') }}";
    try {
      interpolate(text, ctx);
      throw new Error('expected an ExpressionError');
    } catch (error) {
      expect((error as ExpressionError).position).toBe(text.indexOf('format'));
    }
  });
});
