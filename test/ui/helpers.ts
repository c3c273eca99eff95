/** A review page on the shared dev server, with its own approval-link key, operator token and directory. */
import { Client, Connection } from '@temporalio/client';
import { ReviewClient } from '../../src/client/review-client';
import { directoryFrom } from '../../src/directory/directory';
import type { PipelineInput } from '../../src/definition/schema';
import { createReviewPageServer, type ReviewPageServer } from '../../src/ui/server';
import { devServerAddress } from '../helpers/environments';
import { freePort } from '../helpers/global-setup';

export const LINK_KEY = Buffer.from('k'.repeat(16) + 'review-page-test-key-0123456789', 'utf8');
export const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';
export const DIRECTORY = { roles: { editor: { users: ['alice', 'bob'] } } };

export interface PageHarness {
  url: string;
  client: Client;
  reviews: ReviewClient;
  page: ReviewPageServer;
  stop(): Promise<void>;
}

export async function startPageHarness(options: { webUiUrl?: string; pollIntervalMs?: number } = {}): Promise<PageHarness> {
  const connection = await Connection.connect({ address: devServerAddress() });
  const client = new Client({ connection });
  const reviews = new ReviewClient(client, { directory: directoryFrom(DIRECTORY, 'test directory') });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const page = createReviewPageServer({
    reviews,
    baseUrl,
    linkKey: LINK_KEY,
    operatorToken: OPERATOR_TOKEN,
    ...(options.webUiUrl ? { webUiUrl: options.webUiUrl } : {}),
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    logger: (await import('pino')).default({ level: 'silent' }),
  });
  const url = await page.listen(port, '127.0.0.1');
  return {
    url,
    client,
    reviews,
    page,
    async stop() {
      await page.close();
      await connection.close();
    },
  };
}

/** Two checks, a report whose markdown tries to inject script, an editor gate, then a publish step. */
export function gatedPipeline(name: string, gate: { required?: number; deadline?: string } = {}): PipelineInput {
  return {
    name,
    steps: [
      { id: 'lint', name: 'Markdown lint', uses: 'echo', with: { findings: [{ line: 3, rule: 'MD001', message: 'heading <b>levels</b>', severity: 'warning' }] } },
      { id: 'spelling', name: 'Spelling', uses: 'echo' },
      {
        id: 'report',
        name: 'Report',
        uses: 'echo',
        needs: ['lint', 'spelling'],
        with: {
          markdown:
            '# Review report\n\nAll **checks** ran.\n\n<script>window.__injected = 1</script>\n\n<img src=x onerror="window.__injected = 2">\n\n' +
            '[click me](javascript:window.__injected=3) and [docs](https://example.com/docs)\n',
        },
      },
      { id: 'editor', name: 'Editor approval', needs: ['report'], gate: { approvers: ['role:editor'], required: gate.required ?? 1, deadline: gate.deadline ?? '1h' } },
      { id: 'publish', name: 'Publish', uses: 'echo', needs: ['editor'] },
    ],
  };
}

/** A form POST as a browser on the page would send it. */
export function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
