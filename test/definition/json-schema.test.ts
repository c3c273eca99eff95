import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { PIPELINE_SCHEMA_PATH, pipelineJsonSchemaText } from '../../src/definition/json-schema';
import { builtinPipelineNames, builtinPipelinePath } from '../../src/pipelines';

const schemaText = readFileSync(PIPELINE_SCHEMA_PATH, 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(schemaText) as object);

describe('the committed JSON Schema', () => {
  it('is the one generated from the zod schema (regenerate with npx ts-node --transpile-only src/definition/json-schema.ts)', () => {
    expect(schemaText).toBe(pipelineJsonSchemaText());
  });

  it('is referenced by every built-in pipeline file', () => {
    for (const name of builtinPipelineNames()) {
      expect(readFileSync(builtinPipelinePath(name), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./pipeline.schema.json');
    }
    expect(PIPELINE_SCHEMA_PATH).toBe(join(__dirname, '..', '..', 'src', 'pipelines', 'pipeline.schema.json'));
  });

  it.each(builtinPipelineNames())('accepts the built-in pipeline %s', (name) => {
    const data = parse(readFileSync(builtinPipelinePath(name), 'utf8')) as unknown;
    expect(validate(data)).toBe(true);
  });

  it('rejects broken pipelines', () => {
    const broken = parse(readFileSync(builtinPipelinePath('pr-review'), 'utf8')) as { steps: Record<string, unknown>[]; priority?: string };
    broken.steps[0] = { ...broken.steps[0], usess: 'command' };
    broken.priority = 'urgent';
    (broken.steps[1] as Record<string, unknown>).timeout = { startToClose: '5 minutes' };
    expect(validate(broken)).toBe(false);
    const keywords = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(keywords).toEqual(expect.arrayContaining(['/steps/0 additionalProperties', '/priority enum', '/steps/1/timeout/startToClose pattern']));
    expect(validate({ name: 'x' })).toBe(false);
    expect(validate({ name: 'x', steps: [] })).toBe(false);
  });
});
