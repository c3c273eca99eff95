import type { Command } from 'commander';
import { globalsOf } from '../context';
import { CliError } from '../exit';

/** `review ui`: serves the review page until interrupted. */
export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('serve the review page: live DAGs, step details, signed approval links, operator controls (see README "The review page")')
    .option('--listen <host:port>', 'address to listen on (overrides REVIEW_UI_ADDRESS; default 127.0.0.1:8088)')
    .option('--base-url <url>', 'where people reach the page (overrides REVIEW_UI_BASE_URL)')
    .action(async (flags: { listen?: string; baseUrl?: string }, command: Command) => {
      const globals = globalsOf(command);
      // Loaded on use: the other commands do not pay for the page's layout engine.
      const { startReviewPage } = await import('../../ui/main');
      let running: Awaited<ReturnType<typeof startReviewPage>>;
      try {
        running = await startReviewPage({
          ...(flags.listen ? { listen: flags.listen } : {}),
          ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
          connect: {
            ...(globals.address !== undefined ? { address: globals.address } : {}),
            ...(globals.namespace !== undefined ? { namespace: globals.namespace } : {}),
            ...(globals.profile !== undefined ? { profile: globals.profile } : {}),
          },
        });
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      process.stderr.write(`review page at ${running.baseUrl} (listening on ${running.url}); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void running.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
