/** Writes the JSON Schema of pipeline files (for editor completion). Run: npx ts-node --transpile-only src/definition/json-schema.ts */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinOutputSchemas } from './executor-catalog';
import { pipelineJsonSchema } from './schema';

export const PIPELINE_SCHEMA_PATH = join(__dirname, '..', 'pipelines', 'pipeline.schema.json');

/** The schema as committed: titled, pretty-printed, with a final newline. */
export function pipelineJsonSchemaText(): string {
  const base = pipelineJsonSchema();
  // What each built-in executor returns, read as ${{ steps.<id>.output.<path> }} (validation checks the paths).
  const executorOutputs = Object.fromEntries(
    [...builtinOutputSchemas()].map(([type, output]) => {
      const { $schema: _ignored, ...rest } = typeof output === 'object' ? output : {};
      return [type, { description: `The output of a step with uses: ${type}`, ...rest }];
    }),
  );
  const schema = {
    title: 'Review pipeline',
    description: 'A review pipeline: steps run by executors or approval gates, with needs, conditions, retries and timeouts.',
    ...base,
    $defs: { ...((base.$defs as Record<string, unknown> | undefined) ?? {}), executorOutputs: { description: 'The output of each built-in executor, by type', type: 'object', properties: executorOutputs } },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function writePipelineJsonSchema(path: string = PIPELINE_SCHEMA_PATH): string {
  writeFileSync(path, pipelineJsonSchemaText());
  return path;
}

if (require.main === module) {
  process.stdout.write(`wrote ${writePipelineJsonSchema(process.argv[2])}\n`);
}
