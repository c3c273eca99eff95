import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ExecutorCatalogError, findExecutorCatalog, type CatalogLookup } from '../../definition/catalog-file';
import { parallelLevels } from '../../definition/graph';
import { formatIssues } from '../../definition/issues';
import { loadPipelineFile } from '../../definition/load';
import type { ValidateOptions } from '../../definition/validate';
import { builtinPipelineNames, builtinPipelinePath } from '../../pipelines';
import { globalsOf, outputFor } from '../context';
import { CliError, EXIT } from '../exit';

/** A built-in pipeline name becomes its file; anything else is a path. */
export function pipelineFileFor(target: string): string {
  return !existsSync(target) && builtinPipelineNames().includes(target) ? builtinPipelinePath(target) : target;
}

export interface ExecutorFlags {
  /** --catalog <file>; false with --no-catalog. */
  catalog?: string | false;
  strictExecutors?: boolean;
}

/** Adds --catalog, --no-catalog and --strict-executors to a command. */
export function executorOptions(command: Command): Command {
  return command
    .option('--catalog <file>', 'executor catalog the workers write (default: REVIEW_EXECUTOR_CATALOG, else ~/.local/share/review-orchestrator/executors.json, when it exists)')
    .option('--no-catalog', 'check uses: against the built-in executors only')
    .option('--strict-executors', 'an executor type neither built in nor in the catalog is an error even without a catalog');
}

/** The catalog the flags and the environment name; a --catalog that cannot be read is a usage error. */
export function catalogFor(flags: ExecutorFlags): CatalogLookup {
  try {
    return findExecutorCatalog(flags.catalog === false ? null : flags.catalog);
  } catch (error) {
    if (error instanceof ExecutorCatalogError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

export function registerValidate(program: Command): void {
  executorOptions(
    program
      .command('validate')
      .description('check a pipeline file (YAML or JSON) and list every problem with its line; executor types and output references are checked against the built-ins and the executor catalog')
      .argument('<file>', 'pipeline file, or the name of a built-in pipeline'),
  ).action((file: string, flags: ExecutorFlags, command: Command) => {
    const out = outputFor(globalsOf(command));
    const path = pipelineFileFor(file);
    const lookup = catalogFor(flags);
    const options: Omit<ValidateOptions, 'lineOf' | 'file'> = {
      ...(lookup.catalog ? { catalog: lookup.catalog.executors } : {}),
      ...(flags.strictExecutors ? { unknownExecutors: 'error' as const } : {}),
    };
    const catalog = lookup.catalog ? lookup.path ?? 'given' : null;
    const result = loadPipelineFile(path, options);
    if (result.ok) {
      const { pipeline, warnings } = result;
      const levels = parallelLevels(pipeline.steps).length;
      const count = warnings.length;
      out.result(
        { ok: true, file: path, pipeline: pipeline.name, steps: pipeline.steps.length, levels, catalog, issues: [], warnings },
        `✔ ${path}: pipeline ${pipeline.name} is valid (${pipeline.steps.length} steps in ${levels} levels)` +
          (count > 0 ? `\n⚠ ${count} warning${count === 1 ? '' : 's'}\n${formatIssues(warnings)}` : ''),
      );
      return;
    }
    const count = result.issues.length;
    out.result(
      { ok: false, file: path, catalog, issues: result.issues },
      `✘ ${path}: ${count} problem${count === 1 ? '' : 's'}\n${formatIssues(result.issues)}`,
    );
    throw new CliError('', EXIT.failure);
  });
}
