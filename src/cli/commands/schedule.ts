import { Option, type Command } from 'commander';
import type { Priority } from '../../definition/schema';
import type { CreateScheduleOptions, ReviewScheduleSummary } from '../../client/types';
import { globalsOf, outputFor, withClient } from '../context';
import { UsageError } from '../exit';
import { collect, durationFlag, parseInputOption, parseParams, PRIORITY_CHOICES } from '../input';
import { formatTime, table } from '../render/format';

interface CreateFlags {
  cron?: string;
  every?: string;
  input?: string;
  param?: string[];
  priority?: Priority;
  tenant?: string;
  subject?: string;
  taskQueuePrefix?: string;
  note?: string;
  paused?: boolean;
}

function renderSchedules(schedules: readonly ReviewScheduleSummary[]): string {
  if (schedules.length === 0) return 'no review schedules';
  const rows = schedules.map((s) => [
    s.scheduleId,
    s.pipeline ?? '',
    [...s.cron.map((c) => `cron ${c}`), ...s.every.map((e) => `every ${e}`)].join(', '),
    s.paused ? 'paused' : 'active',
    formatTime(s.nextRuns[0]),
    s.note ?? '',
  ]);
  return table(['ID', 'PIPELINE', 'WHEN', 'STATE', 'NEXT RUN', 'NOTE'], rows);
}

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('recurring reviews over Temporal Schedules');

  schedule
    .command('create')
    .description('start a review on a cron expression or at an interval')
    .argument('<id>', 'schedule id')
    .argument('<pipeline>', 'built-in pipeline name or pipeline file')
    .option('--cron <expr>', "cron expression, e.g. '0 3 * * *'")
    .option('--every <duration>', 'interval, e.g. 15m, 1h, 1d', durationFlag('--every', '15m, 1h or 1d'))
    .option('-i, --input <json|@file>', 'review input: a JSON object or @file')
    .option('-p, --param <name=value>', 'pipeline param (repeatable)', collect, [])
    .addOption(new Option('--priority <tier>', 'priority tier').choices(PRIORITY_CHOICES))
    .option('--tenant <tenant>', 'team or repository the reviews belong to')
    .option('--subject <text>', 'what is reviewed')
    .option('--task-queue-prefix <prefix>', 'task queue prefix the workers poll (default: $REVIEW_TASK_QUEUE_PREFIX, else review)')
    .option('--note <text>', 'a note shown with the schedule')
    .option('--paused', 'create it paused')
    .action(async (id: string, pipeline: string, flags: CreateFlags, command: Command) => {
      if ((flags.cron === undefined) === (flags.every === undefined)) throw new UsageError('give exactly one of --cron <expr> or --every <duration>');
      const globals = globalsOf(command);
      const timing = flags.cron !== undefined ? { cron: flags.cron } : { every: flags.every as string };
      const options: CreateScheduleOptions = {
        ...timing,
        id,
        pipeline,
        input: parseInputOption(flags.input),
        params: parseParams(flags.param),
        ...(flags.priority !== undefined ? { priority: flags.priority } : {}),
        ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
        ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
        ...(flags.taskQueuePrefix !== undefined ? { taskQueuePrefix: flags.taskQueuePrefix } : {}),
        ...(flags.note !== undefined ? { note: flags.note } : {}),
        ...(flags.paused ? { paused: true } : {}),
      };
      const created = await withClient(globals, (client) => client.createSchedule(options));
      outputFor(globals).result(created, `created schedule ${created.scheduleId}`);
    });

  schedule
    .command('list')
    .description('list review schedules')
    .action(async (_flags: unknown, command: Command) => {
      const globals = globalsOf(command);
      const schedules = await withClient(globals, (client) => client.listSchedules());
      outputFor(globals).result(schedules, () => renderSchedules(schedules));
    });

  schedule
    .command('delete')
    .description('delete a review schedule (reviews it started keep running)')
    .argument('<id>', 'schedule id')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const globals = globalsOf(command);
      await withClient(globals, (client) => client.deleteSchedule(id));
      outputFor(globals).result({ scheduleId: id, deleted: true }, `deleted schedule ${id}`);
    });
}
