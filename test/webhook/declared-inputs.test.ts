/** The webhook's input is fixed: a pipeline that declares an input the webhook does not give is refused at start, clearly. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ReviewClient } from '../../src/client';
import { createWebhookServer, type WebhookReviewClient } from '../../src/webhook/server';
import { stubTemporal } from '../helpers/stub-temporal';
import { deliver } from './deliver';

const SECRET = 'test-webhook-secret-0123456789';
const OPENED = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webhook', 'pull_request.opened.json'), 'utf8')) as unknown;

function reviewsWithoutTemporal(): { client: WebhookReviewClient; started: unknown[] } {
  const { temporal, started } = stubTemporal();
  const real = new ReviewClient(temporal, { executorCatalog: null });
  const client: WebhookReviewClient = {
    startReview: (...args: Parameters<ReviewClient['startReview']>) => real.startReview(...args),
    list: async () => [],
    cancel: async () => undefined,
    approve: async () => Promise.reject(new Error('not used')),
    reject: async () => Promise.reject(new Error('not used')),
  } as unknown as WebhookReviewClient;
  return { client, started };
}

describe('the webhook and declared inputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-inputs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts pr-review, which declares exactly what the webhook gives', async () => {
    const { client, started } = reviewsWithoutTemporal();
    const server = createWebhookServer({ secret: SECRET, client, logger: pino({ level: 'silent' }) });
    const url = await server.listen();
    try {
      const reply = await deliver(url, SECRET, 'pull_request', OPENED);
      expect(reply.status).toBe(202);
      expect(started).toHaveLength(1);
      expect((started[0] as { args: [{ input: Record<string, unknown> }] }).args[0].input).toMatchObject({ repo: 'acme/demo-app', number: 42, fork: false });
    } finally {
      await server.close();
    }
  });

  it('answers 500 with the issues, logs them, and starts nothing when the pipeline requires an input the webhook does not give', async () => {
    const file = join(dir, 'needs-ticket.yaml');
    writeFileSync(
      file,
      [
        'name: needs-ticket',
        'inputs:',
        '  repo: { type: string, required: true }',
        '  number: { type: number, required: true }',
        '  jiraTicket: { type: string, required: true, description: The ticket this change belongs to }',
        'steps:',
        "  - { id: hello, uses: echo, with: { text: '${{ input.repo }} ${{ input.jiraTicket }}' } }",
        '',
      ].join('\n'),
    );
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const { client, started } = reviewsWithoutTemporal();
    const server = createWebhookServer({ secret: SECRET, client, logger, pipeline: file });
    const url = await server.listen();
    try {
      const reply = await deliver(url, SECRET, 'pull_request', OPENED);
      expect(reply.status).toBe(500);
      expect(reply.json.error).toMatch(/refused the review .*nothing was started/);
      const issues = reply.json.issues as { path: string; message: string }[];
      expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['input.jiraTicket', 'input.owner']));
      expect(issues.find((i) => i.path === 'input.jiraTicket')?.message).toBe("missing required input 'jiraTicket' (The ticket this change belongs to)");
      expect(started).toEqual([]);
      const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; issues?: unknown[] }).find((l) => l.level === 50);
      expect(logged?.msg).toMatch(/refused the review .*it gives repo, owner, name, number, sha/);
      expect(logged?.issues).toHaveLength(issues.length);
    } finally {
      await server.close();
    }
  });
});
