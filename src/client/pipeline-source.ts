/** Turning a pipeline given by object, built-in name or file path into a validated pipeline and params. */
import { existsSync } from 'node:fs';
import { loadPipelineFile } from '../definition/load';
import type { Pipeline } from '../definition/schema';
import { resolveParams, type ParamValues } from '../definition/templates';
import { validatePipeline } from '../definition/validate';
import { builtinPipelineNames, builtinPipelinePath } from '../pipelines';
import { InvalidPipelineError } from './errors';
import type { PipelineSource } from './types';

function looksLikePath(text: string): boolean {
  return /[\\/]|\.(ya?ml|json)$/i.test(text);
}

/** The validated pipeline; every issue is reported at once in an InvalidPipelineError. */
export function loadPipelineSource(source: PipelineSource): Pipeline {
  if (typeof source !== 'string') {
    const result = validatePipeline(source);
    if (!result.ok) throw new InvalidPipelineError(result.issues);
    return result.pipeline;
  }
  const builtin = builtinPipelineNames().includes(source);
  if (!builtin && !looksLikePath(source) && !existsSync(source)) {
    const names = builtinPipelineNames().join(', ');
    throw new InvalidPipelineError(
      [{ path: '', message: `'${source}' is neither a built-in pipeline nor a file`, hint: `use one of ${names}, or the path of a .yaml or .json file` }],
      'unknown pipeline',
    );
  }
  const file = builtin ? builtinPipelinePath(source) : source;
  const result = loadPipelineFile(file);
  if (!result.ok) throw new InvalidPipelineError(result.issues, `invalid pipeline ${file}`);
  return result.pipeline;
}

/** The pipeline plus its params with defaults applied and values checked. */
export function preparePipeline(source: PipelineSource, params: Record<string, unknown> = {}): { pipeline: Pipeline; params: ParamValues } {
  const pipeline = loadPipelineSource(source);
  const resolved = resolveParams(pipeline, params);
  if (!resolved.ok) throw new InvalidPipelineError(resolved.issues, `invalid params for pipeline ${pipeline.name}`);
  return { pipeline, params: resolved.params };
}
