import { Option, type Command } from 'commander';
import type { Priority } from '../../definition/schema';
import type { ReviewState } from '../../../workflows/types';
import type { ReviewSummary } from '../../client/types';
import { globalsOf, outputFor, withClient } from '../context';
import { positiveInt, PRIORITY_CHOICES } from '../input';
import { formatTime, table } from '../render/format';
import { REVIEW_STATES } from '../stats';

interface ListFlags {
  status?: ReviewState;
  pipeline?: string;
  priority?: Priority;
  tenant?: string;
  limit: number;
}

function renderList(reviews: readonly ReviewSummary[]): string {
  if (reviews.length === 0) return 'no reviews match';
  const rows = reviews.map((r) => [
    r.reviewId,
    r.state ?? '?',
    r.pipeline ?? '',
    r.priority ?? '',
    formatTime(r.startTime),
    [r.subject ?? '', r.keyMissing ? `[encrypted: key ${r.keyId ? `"${r.keyId}"` : '?'} missing]` : ''].filter(Boolean).join(' '),
  ]);
  const listing = table(['ID', 'STATE', 'PIPELINE', 'PRIORITY', 'STARTED', 'SUBJECT'], rows);
  const missing = [...new Set(reviews.filter((r) => r.keyMissing).map((r) => r.keyId ?? '?'))];
  if (missing.length === 0) return listing;
  const keys = missing.map((k) => `"${k}"`).join(', ');
  return `${listing}\n\n${reviews.filter((r) => r.keyMissing).length} review(s) are encrypted with key(s) ${keys} this client does not have: set REVIEW_ENCRYPTION_KEYS (or REVIEW_ENCRYPTION_KEYS_FILE) to read them`;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list reviews: open ones first, then the most recently closed')
    .addOption(new Option('--status <state>', 'only reviews in this state').choices(REVIEW_STATES))
    .option('--pipeline <name>', 'only reviews of this pipeline')
    .addOption(new Option('--priority <tier>', 'only reviews of this priority').choices(PRIORITY_CHOICES))
    .option('--tenant <tenant>', 'only reviews of this tenant')
    .option('-n, --limit <n>', 'at most this many', positiveInt('--limit'), 50)
    .action(async (flags: ListFlags, command: Command) => {
      const globals = globalsOf(command);
      const reviews = await withClient(globals, (client) =>
        client.list({
          limit: flags.limit,
          ...(flags.status !== undefined ? { status: flags.status } : {}),
          ...(flags.pipeline !== undefined ? { pipeline: flags.pipeline } : {}),
          ...(flags.priority !== undefined ? { priority: flags.priority } : {}),
          ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
        }),
      );
      outputFor(globals).result(reviews, () => renderList(reviews));
    });
}
