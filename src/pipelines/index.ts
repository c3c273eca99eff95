/** The pipelines shipped with the project, as YAML files users can copy. Node only. */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILTIN_EXECUTOR_TYPES } from '../definition/builtin-executors';
import { readPipelineFile } from '../definition/load';
import type { Pipeline } from '../definition/schema';
import { didYouMean } from '../definition/suggest';

/** Where the YAML files are: next to this module, or in src/pipelines when running from a build output. */
export function builtinPipelineDir(): string {
  const candidates = [__dirname, resolve(__dirname, '..', '..', '..', 'src', 'pipelines')];
  return candidates.find((dir) => existsSync(join(dir, 'pr-review.yaml'))) ?? __dirname;
}

export function builtinPipelineNames(): string[] {
  return readdirSync(builtinPipelineDir())
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

export function builtinPipelinePath(name: string): string {
  const names = builtinPipelineNames();
  if (!names.includes(name)) throw new Error(`no built-in pipeline '${name}': ${didYouMean(name, names, 'one of')}`);
  return join(builtinPipelineDir(), `${name}.yaml`);
}

/** The validated built-in pipeline; throws PipelineValidationError if the file was edited into an invalid one. */
export function loadBuiltinPipeline(name: string, options: { executorTypes?: Iterable<string> } = {}): Pipeline {
  return readPipelineFile(builtinPipelinePath(name), { executorTypes: options.executorTypes ?? BUILTIN_EXECUTOR_TYPES });
}
