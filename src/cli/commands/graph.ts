import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { renderAscii, renderDot, renderMermaid, type StepStates } from '../../definition/render';
import type { Pipeline } from '../../definition/schema';
import { builtinPipelineNames } from '../../pipelines';
import { loadPipelineSource } from '../../client/pipeline-source';
import { globalsOf, outputFor, withClient, type GlobalOptions } from '../context';
import { pipelineFromStatus, stepStates } from '../render/status';

type Format = 'mermaid' | 'dot' | 'ascii';

async function pipelineAndStates(target: string, globals: GlobalOptions): Promise<{ pipeline: Pipeline; states?: StepStates; reviewId?: string }> {
  // A name ending like a pipeline file is one, even when it is missing: "file not found", not "no review with id".
  if (builtinPipelineNames().includes(target) || existsSync(target) || /\.(ya?ml|json)$/i.test(target)) return { pipeline: loadPipelineSource(target) };
  const status = await withClient(globals, (client) => client.getStatus(target));
  return { pipeline: pipelineFromStatus(status), states: stepStates(status), reviewId: status.reviewId };
}

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description("draw a pipeline's DAG; given a review id, with each step's live state")
    .argument('<target>', 'pipeline file, built-in pipeline name, or review id')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot', 'ascii']).default('ascii'))
    .option('--plain', 'ASCII symbols instead of Unicode ones (ascii format)')
    .action(async (target: string, options: { format: Format; plain?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const out = outputFor(globals);
      const { pipeline, states, reviewId } = await pipelineAndStates(target, globals);
      const text =
        options.format === 'mermaid'
          ? renderMermaid(pipeline, states)
          : options.format === 'dot'
            ? renderDot(pipeline, states)
            : renderAscii(pipeline, states, { symbols: options.plain ? 'ascii' : 'unicode', color: out.color });
      out.result({ pipeline: pipeline.name, ...(reviewId ? { reviewId } : {}), format: options.format, states: states ?? null, graph: text }, text);
    });
}
