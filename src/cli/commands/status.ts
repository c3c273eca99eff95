import type { Command } from 'commander';
import type { ReviewClient } from '../../client/review-client';
import { isTerminalOutcome } from '../outcome';
import { globalsOf, outputFor, withClient, type Output } from '../context';
import { EXIT, CliError } from '../exit';
import { positiveInt } from '../input';
import { reviewPageUrl } from '../../client/page-url';
import { renderStatus } from '../render/status';

const CLEAR = '\u001b[H\u001b[2J';

async function watchStatus(client: ReviewClient, id: string, out: Output, intervalMs: number): Promise<void> {
  let last: Awaited<ReturnType<ReviewClient['getStatus']>> | undefined;
  const redraw = out.color && !out.json;
  const pageUrl = reviewPageUrl(id);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    for await (const status of client.watch(id, { intervalMs, signal: controller.signal })) {
      last = status;
      if (out.json) out.line(JSON.stringify(status));
      else out.line(`${redraw ? CLEAR : ''}${renderStatus(status, { color: out.color, ...(pageUrl ? { pageUrl } : {}) })}`);
    }
  } finally {
    process.removeListener('SIGINT', stop);
  }
  if (last && isTerminalOutcome(last.state) && last.state !== 'completed') {
    throw new CliError(`review ${id} ended ${last.state}${last.lastError ? `: ${last.lastError}` : ''}`, EXIT.failure);
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a review: each step's state and verdict, attempts and timings (and its page, with REVIEW_UI_BASE_URL)")
    .argument('<id>', 'review id')
    .option('-w, --watch', 'redraw as the review changes until it ends (exit 1 unless it completes)')
    .option('--interval <ms>', 'poll interval for --watch', positiveInt('--interval'), 1000)
    .action(async (id: string, flags: { watch?: boolean; interval: number }, command: Command) => {
      const globals = globalsOf(command);
      const out = outputFor(globals);
      await withClient(globals, async (client) => {
        if (flags.watch) return watchStatus(client, id, out, flags.interval);
        const status = await client.getStatus(id);
        const pageUrl = reviewPageUrl(id);
        out.result(status, () => renderStatus(status, { color: out.color, ...(pageUrl ? { pageUrl } : {}) }));
      });
    });
}
