/** Turning a pipeline given by object, built-in name or file path into a validated pipeline and params. */
import { existsSync } from 'node:fs';
import { ExecutorCatalogError, findExecutorCatalog } from '../definition/catalog-file';
import type { ExecutorCatalog } from '../definition/executor-catalog';
import type { ValidationIssue } from '../definition/issues';
import { loadPipelineFile } from '../definition/load';
import type { Pipeline } from '../definition/schema';
import { resolveInput, resolveParams, type ParamValues } from '../definition/templates';
import { validatePipeline, type ValidateOptions } from '../definition/validate';
import { builtinPipelineNames, builtinPipelinePath } from '../pipelines';
import { InvalidPipelineError } from './errors';
import type { PipelineSource } from './types';

function looksLikePath(text: string): boolean {
  return /[\\/]|\.(ya?ml|json)$/i.test(text);
}

/** Which executors a pipeline may use, beyond the built-ins. */
export interface ExecutorCheckOptions {
  /**
   * The executor catalog the workers write (a path, or the catalog itself); `null` for none. Default:
   * REVIEW_EXECUTOR_CATALOG, else ~/.local/share/review-orchestrator/executors.json, when the file exists.
   * With a catalog, a `uses:` that is neither built in nor in it is refused.
   */
  executorCatalog?: string | ExecutorCatalog | null;
  /** Refuse a `uses:` that is not built in even when no catalog is known (default: accepted). */
  strictExecutors?: boolean;
}

function validateOptionsFor(check: ExecutorCheckOptions): Pick<ValidateOptions, 'catalog' | 'unknownExecutors'> {
  let lookup;
  try {
    lookup = findExecutorCatalog(check.executorCatalog);
  } catch (error) {
    if (!(error instanceof ExecutorCatalogError)) throw error;
    throw new InvalidPipelineError([{ path: '', message: error.message, hint: 'point executorCatalog (or REVIEW_EXECUTOR_CATALOG) at the file a worker writes, or set it to null' }], 'unreadable executor catalog');
  }
  return {
    ...(lookup.catalog ? { catalog: lookup.catalog.executors } : {}),
    ...(check.strictExecutors ? { unknownExecutors: 'error' as const } : {}),
  };
}

/** The validated pipeline; every issue is reported at once in an InvalidPipelineError. */
export function loadPipelineSource(source: PipelineSource, check: ExecutorCheckOptions = {}): Pipeline {
  const options = validateOptionsFor(check);
  if (typeof source !== 'string') {
    const result = validatePipeline(source, options);
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
  const result = loadPipelineFile(file, options);
  if (!result.ok) throw new InvalidPipelineError(result.issues, `invalid pipeline ${file}`);
  return result.pipeline;
}

/**
 * The pipeline plus its params and input with defaults applied and values checked (the input against the
 * pipeline's declared `inputs`, when it declares any); every problem of params and input is listed in one
 * InvalidPipelineError, before anything starts.
 */
export function preparePipeline(
  source: PipelineSource,
  params: Record<string, unknown> = {},
  input: Record<string, unknown> = {},
  check: ExecutorCheckOptions = {},
): { pipeline: Pipeline; params: ParamValues; input: Record<string, unknown> } {
  const pipeline = loadPipelineSource(source, check);
  const resolved = resolveParams(pipeline, params);
  const checkedInput = resolveInput(pipeline, input);
  const issues: ValidationIssue[] = [...(resolved.ok ? [] : resolved.issues), ...(checkedInput.ok ? [] : checkedInput.issues)];
  if (!resolved.ok || !checkedInput.ok) {
    const what = [resolved.ok ? '' : 'params', checkedInput.ok ? '' : 'input'].filter(Boolean).join(' and ');
    throw new InvalidPipelineError(issues, `invalid ${what} for pipeline ${pipeline.name}`);
  }
  return { pipeline, params: resolved.params, input: checkedInput.input };
}
