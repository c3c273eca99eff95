import { shellWord } from '../render/shell-word';
import { Option, type Command } from 'commander';
import { reviewPageUrl } from '../../client/page-url';
import { preparePipeline } from '../../client/pipeline-source';
import type { Priority } from '../../definition/schema';
import { globalsOf, outputFor, withClient } from '../context';
import { collect, durationFlag, parseInputOption, parseParams, PRIORITY_CHOICES } from '../input';
import { catalogFor, executorOptions, type ExecutorFlags } from './validate';

interface StartFlags extends ExecutorFlags {
  input?: string;
  param?: string[];
  priority?: Priority;
  id?: string;
  tenant?: string;
  subject?: string;
  taskQueuePrefix?: string;
  retryWindow?: string;
}

export function registerStart(program: Command): void {
  executorOptions(
    program
      .command('start')
      .description('start a review and print its id')
      .argument('<pipeline>', 'built-in pipeline name or pipeline file')
      .option('-i, --input <json|@file>', 'review input: a JSON object, or @file to read it from a file (@- for stdin)')
      .option('-p, --param <name=value>', 'pipeline param (repeatable)', collect, [])
      .addOption(new Option('--priority <tier>', 'priority tier').choices(PRIORITY_CHOICES))
      .option('--id <id>', 'review id; starting the same id again returns the existing review')
      .option('--tenant <tenant>', 'team or repository the review belongs to')
      .option('--subject <text>', 'what is reviewed, shown in the Web UI and status')
      .option('--task-queue-prefix <prefix>', 'task queue prefix the workers poll (default: $REVIEW_TASK_QUEUE_PREFIX, else review)')
      .option('--retry-window <duration>', 'keep a failed review open this long so it can be retried (e.g. 1h)', durationFlag('--retry-window', '1h or 2d')),
  ).action(async (pipeline: string, flags: StartFlags, command: Command) => {
    const globals = globalsOf(command);
    const out = outputFor(globals);
    const input = parseInputOption(flags.input);
    const params = parseParams(flags.param);
    // The pipeline, params and input are checked here first, so problems are listed even with no server to reach.
    const lookup = catalogFor(flags);
    const check = { executorCatalog: lookup.catalog ?? null, ...(flags.strictExecutors ? { strictExecutors: true } : {}) };
    preparePipeline(pipeline, params, input, check);
    const started = await withClient(globals, (client) =>
      client.startReview(pipeline, input, {
        params,
        ...(flags.priority !== undefined ? { priority: flags.priority } : {}),
        ...(flags.id !== undefined ? { id: flags.id } : {}),
        ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
        ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
        ...(flags.taskQueuePrefix !== undefined ? { taskQueuePrefix: flags.taskQueuePrefix } : {}),
        ...(flags.retryWindow !== undefined ? { retryWindow: flags.retryWindow } : {}),
      }),
      check,
    );
    // The id alone on stdout (scripts read it); the review page, when REVIEW_UI_BASE_URL is set, as a note.
    const pageUrl = reviewPageUrl(started.reviewId);
    out.result(pageUrl !== undefined ? { ...started, pageUrl } : started, started.reviewId);
    if (pageUrl !== undefined) out.note(`review page: ${pageUrl}`);
    if (started.existing) out.note(`review ${started.reviewId} already exists: returned it instead of starting another`);
    else out.note(`follow it with: review status ${shellWord(started.reviewId)} --watch`);
  });
}
