import { assertParams, parseParamAssignments, resolveParams } from '../../src/definition/templates';
import { PipelineValidationError } from '../../src/definition/issues';
import type { Pipeline } from '../../src/definition/schema';

const pipeline: Pick<Pipeline, 'name' | 'params'> = {
  name: 'blog',
  params: {
    language: { type: 'string', default: 'en', enum: ['en', 'de'] },
    count: { type: 'number', default: 3 },
    strict: { type: 'boolean', default: false },
    tags: { type: 'list' },
    options: { type: 'object' },
    owner: { type: 'string', required: true, description: 'who owns the review' },
    level: { type: 'number', enum: [1, 2, 3] },
  },
};

describe('resolveParams', () => {
  it('applies defaults and leaves optional params without values out', () => {
    expect(resolveParams(pipeline, { owner: 'ann' })).toEqual({ ok: true, params: { language: 'en', count: 3, strict: false, owner: 'ann' } });
  });

  it('coerces strings from the command line', () => {
    const result = resolveParams(pipeline, parseParamAssignments(['owner=ann', 'count=12', 'strict=yes', 'tags=a, b,c', 'options={"x":1}', 'level=2', 'language=de']));
    expect(result).toEqual({
      ok: true,
      params: { language: 'de', count: 12, strict: true, tags: ['a', 'b', 'c'], options: { x: 1 }, owner: 'ann', level: 2 },
    });
  });

  it('accepts typed values and JSON lists', () => {
    const result = resolveParams(pipeline, { owner: 'ann', tags: '["x", 1]', strict: 'off', count: 0 });
    expect(result.ok && result.params).toMatchObject({ tags: ['x', 1], strict: false, count: 0 });
    expect(resolveParams(pipeline, { owner: 'ann', tags: '' })).toMatchObject({ ok: true, params: { tags: [] } });
  });

  it('rejects missing, unknown, mistyped and disallowed values, all at once', () => {
    const result = resolveParams(pipeline, { langauge: 'en', count: 'many', strict: 'maybe', options: '[1]', level: '7', language: 'fr', tags: '[oops' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.issues.map((i) => [i.path, i]));
    expect(byPath['params.langauge']).toMatchObject({ message: "unknown param 'langauge'", hint: "did you mean 'language'?" });
    expect(byPath['params.count']).toMatchObject({ message: 'param \'count\' must be a number, got "many"', hint: 'pass a number, e.g. --param count=3' });
    expect(byPath['params.strict']?.hint).toBe('pass --param strict=true or --param strict=false');
    expect(byPath['params.options']?.message).toContain('must be an object');
    expect(byPath['params.level']?.message).toBe("param 'level' is 7, which is not allowed");
    expect(byPath['params.language']?.hint).toBe("use one of 'en', 'de'");
    expect(byPath['params.tags']?.message).toContain('does not parse');
    expect(byPath['params.owner']).toMatchObject({ message: "missing required param 'owner' (who owns the review)", hint: 'pass --param owner=<string>' });
    expect(result.issues).toHaveLength(8);
  });

  it('works for pipelines without params', () => {
    expect(resolveParams({}, {})).toEqual({ ok: true, params: {} });
    expect(resolveParams({}, { x: 1 })).toMatchObject({ ok: false, issues: [{ hint: 'this pipeline declares no params' }] });
  });

  it('assertParams throws PipelineValidationError', () => {
    expect(() => assertParams(pipeline, {})).toThrow(PipelineValidationError);
    expect(() => assertParams(pipeline, {})).toThrow("invalid params for pipeline blog:\nparams.owner: missing required param 'owner'");
  });
});

describe('parseParamAssignments', () => {
  it('splits name=value at the first =', () => {
    expect(parseParamAssignments(['a=1', 'b=x=y', 'c='])).toEqual({ a: '1', b: 'x=y', c: '' });
  });
  it('rejects an entry without a name', () => {
    expect(() => parseParamAssignments(['novalue'])).toThrow(/write name=value/);
    expect(() => parseParamAssignments(['=x'])).toThrow(/write name=value/);
  });
});
