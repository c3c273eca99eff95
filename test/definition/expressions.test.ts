import {
  evaluateCondition,
  evaluateExpression,
  ExpressionError,
  interpolate,
  parseExpression,
  referencesIn,
  referencesInCondition,
  splitTemplate,
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
    ['"say \\"hi\\"\\n"', 'say "hi"\n'],
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
    ["'a' == 'A'", false],
    ['null == null', true],
    ['null == 0', false],
    ["input.pr.labels == fromJSON('[\"bug\",\"ui\"]')", true],
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
    ["startsWith(input.article, 'posts/')", true],
    ["endsWith(input.article, '.md')", true],
    ['length(params.tags)', 2],
    ["length('abc')", 3],
    ['length(input.pr)', 2],
    ['length(null)', 0],
    ['join(params.tags)', 'a,b'],
    ["join(params.tags, ' | ')", 'a | b'],
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
  });
});

describe('syntax errors', () => {
  it.each([
    ['', /empty expression/],
    ['1 ==', /ends too early/],
    ['== 1', /unexpected operator '=='/],
    ['a.b', /unknown name 'a'/],
    ['params.', /expected a property name/],
    ["'open", /unterminated string/],
    ['params.x = 1', /compare with ==/],
    ['params.x & 1', /use && or \|\|/],
    ['nope(1)', /unknown function 'nope'/],
    ['contains(1)', /contains\(\) takes 2 arguments, got 1/],
    ['length(1, 2)', /length\(\) takes 1 argument, got 2/],
    ['(1', /expected '\)'/],
    ['input[1', /expected '\]'/],
    ['1 2', /unexpected '2' after a complete expression/],
    ['12abc', /malformed number/],
    ['"\\q"', /unknown escape/],
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
      expect(e.position).toBe(e.source.indexOf('}}'));
      expect(e.message).toContain(`column ${e.position + 1}`);
    }
  });

  it('rejects an unterminated ${{', () => {
    expect(() => splitTemplate('a ${{ params.x')).toThrow(/unterminated \$\{\{/);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseExpression('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(/nested too deeply/);
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
    expect(interpolate('n=${{ params.count }}, tags=${{ params.tags }}, none=${{ input.missing }}.', ctx)).toBe('n=3, tags=["a","b"], none=.');
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
