import type { Command } from 'commander';
import { globalsOf, outputFor, withClient } from '../context';

export function registerControl(program: Command): void {
  program
    .command('pause')
    .description('hold a review: running steps finish, no new step starts')
    .argument('<id>', 'review id')
    .option('--by <name>', 'who pauses')
    .option('--reason <text>', 'why')
    .action(async (id: string, flags: { by?: string; reason?: string }, command: Command) => {
      const globals = globalsOf(command);
      await withClient(globals, (client) => client.pause(id, { ...(flags.by ? { by: flags.by } : {}), ...(flags.reason ? { reason: flags.reason } : {}) }));
      outputFor(globals).result({ reviewId: id, paused: true }, `paused ${id}`);
    });

  program
    .command('resume')
    .description('resume a paused review')
    .argument('<id>', 'review id')
    .option('--by <name>', 'who resumes')
    .action(async (id: string, flags: { by?: string }, command: Command) => {
      const globals = globalsOf(command);
      await withClient(globals, (client) => client.resume(id, flags.by ? { by: flags.by } : {}));
      outputFor(globals).result({ reviewId: id, resumed: true }, `resumed ${id}`);
    });

  program
    .command('cancel')
    .description('cancel a review; finished steps with an undo are compensated')
    .argument('<id>', 'review id')
    .option('--reason <text>', 'why (the review keeps it)')
    .option('--by <name>', 'who cancels')
    .action(async (id: string, flags: { reason?: string; by?: string }, command: Command) => {
      const globals = globalsOf(command);
      await withClient(globals, (client) => client.cancel(id, flags.reason, flags.by));
      outputFor(globals).result({ reviewId: id, cancelRequested: true }, `cancellation of ${id} requested`);
    });

  program
    .command('retry')
    .description('re-run the failed steps of a failed review (it must have been started with a retry window)')
    .argument('<id>', 'review id')
    .option('--from <step>', 're-run from this step and everything after it')
    .action(async (id: string, flags: { from?: string }, command: Command) => {
      const globals = globalsOf(command);
      const accepted = await withClient(globals, (client) => client.retry(id, flags.from ? { from: flags.from } : {}));
      outputFor(globals).result({ reviewId: id, ...accepted }, `retrying ${id}: ${accepted.rerun.join(', ')}`);
    });
}
