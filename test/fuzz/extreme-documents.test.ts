import { parsePipelineText } from '../../src/definition/load';
import { validatePipeline, type ValidationResult } from '../../src/definition/validate';

const MB = 1024 * 1024;

/** JSON text of a value nested `depth` deep, written directly: JSON.stringify itself overflows the stack at such depths. */
function nestedJson(depth: number, asArray: boolean): string {
  return asArray ? `${'['.repeat(depth)}"leaf"${']'.repeat(depth)}` : `${'{"n":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
}

const pipelineWith = (value: unknown) => ({ name: 'extreme', steps: [{ id: 'a', uses: 'echo', with: { value } }] });
const pipelineWithJson = (valueJson: string) => `{"name":"extreme","steps":[{"id":"a","uses":"echo","with":{"value":${valueJson}}}]}`;

/** Deeper documents are in deep-nesting.test.ts: they can abort the process, so they run in a child. */
/** Every way a document reaches the validator: as data, as JSON text, as YAML text (JSON is YAML). */
function everyEncoding(source: unknown): [string, () => ValidationResult][] {
  const json = typeof source === 'string' ? source : JSON.stringify(source);
  const doc: unknown = typeof source === 'string' ? JSON.parse(source) : source;
  return [
    ['object', () => validatePipeline(doc)],
    ['json', () => parsePipelineText(json, { format: 'json' })],
    ['yaml', () => parsePipelineText(json, { format: 'yaml' })],
  ];
}

describe('extreme pipeline documents', () => {
  const cases: [string, unknown][] = [
    ['a 1 MB string in with', pipelineWith('x'.repeat(MB))],
    ['a 1 MB step name', { name: 'extreme', steps: [{ id: 'a', name: 'n'.repeat(MB), uses: 'echo' }] }],
    ['a 1 MB pipeline name', { name: 'n'.repeat(MB), steps: [{ id: 'a', uses: 'echo' }] }],
    ['a 1 MB expression', pipelineWith(`\${{ ${'('.repeat(MB / 2)} }}`)],
    ['arrays nested 200 deep', pipelineWithJson(nestedJson(200, true))],
    ['maps nested 200 deep', pipelineWithJson(nestedJson(200, false))],
    ['5,000 steps in a chain', { name: 'long', steps: Array.from({ length: 5_000 }, (_, i) => ({ id: `s${i}`, uses: 'echo', ...(i ? { needs: [`s${i - 1}`] } : {}) })) }],
    ['a 2,000-step cycle', { name: 'ring', steps: Array.from({ length: 2_000 }, (_, i) => ({ id: `s${i}`, uses: 'echo', needs: [`s${(i + 1) % 2_000}`] })) }],
  ];

  it.each(cases.map(([name]) => name))('handles %s without throwing, in every encoding', (name) => {
    const doc = cases.find(([n]) => n === name)?.[1];
    for (const [encoding, validate] of everyEncoding(doc)) {
      let result: ValidationResult | undefined;
      let thrown: unknown;
      try {
        result = validate();
      } catch (error) {
        thrown = error;
      }
      expect({ encoding, thrown: thrown === undefined ? undefined : String(thrown).slice(0, 200) }).toEqual({ encoding, thrown: undefined });
      if (result && !result.ok) for (const issue of result.issues) expect(issue.message && issue.hint).toBeTruthy();
    }
  });

  it('names the cycle of a 2,000-step ring', () => {
    const ring = cases.find(([name]) => name.includes('cycle'))?.[1];
    const result = validatePipeline(ring);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.some((i) => /dependency cycle: s\d+ -> /.test(i.message))).toBe(true);
  });

  it('reports an alias to an undefined anchor as an issue instead of throwing', () => {
    const text = 'name: alias\nsteps:\n  - id: a\n    uses: *echo\n';
    let result: ValidationResult | undefined;
    expect(() => {
      result = parsePipelineText(text, { format: 'yaml', file: 'alias.yaml' });
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.issues[0]).toMatchObject({ file: 'alias.yaml', line: 4 });
  });
});
