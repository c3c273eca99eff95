import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parallelLevels } from '../../definition/graph';
import { formatIssues } from '../../definition/issues';
import { loadPipelineFile } from '../../definition/load';
import { builtinPipelineNames, builtinPipelinePath } from '../../pipelines';
import { globalsOf, outputFor } from '../context';
import { CliError, EXIT } from '../exit';

/** A built-in pipeline name becomes its file; anything else is a path. */
export function pipelineFileFor(target: string): string {
  return !existsSync(target) && builtinPipelineNames().includes(target) ? builtinPipelinePath(target) : target;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a pipeline file (YAML or JSON) and list every problem with its line')
    .argument('<file>', 'pipeline file, or the name of a built-in pipeline')
    .action((file: string, _options: unknown, command: Command) => {
      const out = outputFor(globalsOf(command));
      const path = pipelineFileFor(file);
      const result = loadPipelineFile(path);
      if (result.ok) {
        const { pipeline } = result;
        const levels = parallelLevels(pipeline.steps).length;
        out.result(
          { ok: true, file: path, pipeline: pipeline.name, steps: pipeline.steps.length, levels, issues: [] },
          `✔ ${path}: pipeline ${pipeline.name} is valid (${pipeline.steps.length} steps in ${levels} levels)`,
        );
        return;
      }
      const count = result.issues.length;
      out.result(
        { ok: false, file: path, issues: result.issues },
        `✘ ${path}: ${count} problem${count === 1 ? '' : 's'}\n${formatIssues(result.issues)}`,
      );
      throw new CliError('', EXIT.failure);
    });
}
