/** Writes the JSON Schema of pipeline files (for editor completion). Run: npx ts-node --transpile-only src/definition/json-schema.ts */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineJsonSchema } from './schema';

export const PIPELINE_SCHEMA_PATH = join(__dirname, '..', 'pipelines', 'pipeline.schema.json');

/** The schema as committed: titled, pretty-printed, with a final newline. */
export function pipelineJsonSchemaText(): string {
  const schema = {
    title: 'Review pipeline',
    description: 'A review pipeline: steps run by executors or approval gates, with needs, conditions, retries and timeouts.',
    ...pipelineJsonSchema(),
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
