import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { connectReviewClient, ReviewNotFoundError, type ReviewClient } from '../../src/client';
import type { PipelineInput } from '../../src/definition/schema';
import { createWebhookServer, type WebhookServer } from '../../src/webhook/server';
import { signBody, verifySignature } from '../../src/webhook/signature';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { fakeStatusApi, type PostedStatus } from './fake-status-api';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(180_000);

const SECRET = 'test-webhook-secret-0123456789';
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '..', 'fixtures', 'webhook', name));
const OPENED = fixture('pull_request.opened.json');
const SYNCHRONIZE = fixture('pull_request.synchronize.json');
const CLOSED = fixture('pull_request.closed.json');
const OTHER = fixture('pull_request.other-repo.opened.json');
const OPENED_ID = 'pr-acme-demo-app-42-9f1c2d3e4a5b6c7d8e9f00112233445566778899';
const SYNC_ID = 'pr-acme-demo-app-42-a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9';
const OTHER_ID = 'pr-acme-broken-app-7-1111111111111111111111111111111111111111';

const prefix = uniqueTaskQueue('webhook');
const recorder = recordingActivities();
let client: ReviewClient;
let connection: NativeConnection;
let statusApi: Awaited<ReturnType<typeof fakeStatusApi>>;
let webhook: WebhookServer;
let url: string;

async function deliver(body: Buffer, headers: Record<string, string>, path = '/webhook'): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const signed = (body: Buffer, event = 'pull_request'): Record<string, string> => ({
  'x-github-event': event,
  'x-github-delivery': `delivery-${Math.random()}`,
  'x-hub-signature-256': signBody(SECRET, body),
});

const statusesFor = (sha: string): PostedStatus[] => statusApi.posted.filter((p) => p.path.endsWith(`/statuses/${sha}`));

beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress() });
  connection = await NativeConnection.connect({ address: devServerAddress() });
  statusApi = await fakeStatusApi();
  webhook = createWebhookServer({
    secret: SECRET,
    client,
    statusApiBaseUrl: statusApi.url,
    statusToken: 'status-token',
    reviewOptions: { taskQueuePrefix: prefix },
    targetUrl: (id) => `http://ui.example/reviews/${id}`,
    maxBodyBytes: 64 * 1024,
    logger: pino({ level: 'silent' }),
  });
  url = await webhook.listen();
});

afterAll(async () => {
  await webhook.close();
  await statusApi.close();
  await client.close();
  await connection.close();
});

describe('signature', () => {
  test('accepts only the exact HMAC-SHA256 of the body', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifySignature(SECRET, body, signBody(SECRET, body))).toBe(true);
    expect(verifySignature(SECRET, body, signBody(SECRET, body).toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(verifySignature(SECRET, body, signBody('other-secret', body))).toBe(false);
    expect(verifySignature(SECRET, Buffer.from('{"a":2}'), signBody(SECRET, body))).toBe(false);
    expect(verifySignature(SECRET, body, undefined)).toBe(false);
    expect(verifySignature(SECRET, body, 'sha1=abc')).toBe(false);
  });
});

describe('pull-request webhook', () => {
  test('a missing or bad signature is refused with 401 and starts nothing', async () => {
    const missing = await deliver(OPENED, { 'x-github-event': 'pull_request' });
    const wrong = await deliver(OPENED, { ...signed(OPENED), 'x-hub-signature-256': signBody('not-the-secret', OPENED) });
    const tampered = await deliver(Buffer.from(OPENED.toString().replace('octocat', 'mallory')), signed(OPENED));
    for (const response of [missing, wrong, tampered]) {
      expect(response.status).toBe(401);
      expect(response.json.error).toMatch(/X-Hub-Signature-256/);
    }
    await expect(client.describe(OPENED_ID)).rejects.toBeInstanceOf(ReviewNotFoundError);
    expect(statusApi.posted).toEqual([]);
  });

  test('health, ping, other events and actions, bad payloads and oversized bodies', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const ping = Buffer.from('{"zen":"Keep it logically awesome."}');
    expect((await deliver(ping, signed(ping, 'ping'))).status).toBe(200);
    expect(await deliver(OPENED, signed(OPENED, 'issues'))).toEqual({ status: 202, json: { ignored: 'event issues' } });
    expect(await deliver(CLOSED, signed(CLOSED))).toEqual({ status: 202, json: { ignored: 'action closed' } });
    const incomplete = Buffer.from(JSON.stringify({ ...JSON.parse(OPENED.toString()), pull_request: { number: 42 } }));
    const bad = await deliver(incomplete, signed(incomplete));
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/not a valid pull_request event: pull_request\.title/);
    const notJson = Buffer.from('not json');
    expect((await deliver(notJson, signed(notJson))).status).toBe(400);
    const huge = Buffer.alloc(100 * 1024, 'a');
    expect((await deliver(huge, signed(huge))).status).toBe(413);
  });

  test('starts one review per head SHA and posts pending, then the final status', async () => {
    await withReviewWorkers(connection, prefix, recorder.activities, async () => {
      const first = await deliver(OPENED, signed(OPENED));
      const redelivered = await deliver(OPENED, signed(OPENED));
      expect(first).toEqual({ status: 202, json: { reviewId: OPENED_ID, runId: expect.any(String), existing: false } });
      expect(redelivered).toEqual({ status: 202, json: { reviewId: OPENED_ID, runId: first.json.runId, existing: true } });
      const pushed = await deliver(SYNCHRONIZE, signed(SYNCHRONIZE));
      expect(pushed.json).toMatchObject({ reviewId: SYNC_ID, existing: false });

      const result = await client.result(OPENED_ID);
      expect(result).toMatchObject({ outcome: 'completed', pipeline: 'pr-review', tenant: 'acme/demo-app', subject: 'acme/demo-app#42' });
      await webhook.idle();
    });
    const sha = '9f1c2d3e4a5b6c7d8e9f00112233445566778899';
    const posted = statusesFor(sha);
    expect(posted.map((p) => p.body.state)).toEqual(['pending', 'success']);
    expect(posted[1]).toEqual({
      path: `/repos/acme/demo-app/statuses/${sha}`,
      authorization: 'Bearer status-token',
      body: { state: 'success', description: expect.stringMatching(/^review passed/), context: 'review-orchestrator/pr-review', target_url: `http://ui.example/reviews/${OPENED_ID}` },
    });
    expect(statusesFor('a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9').map((p) => p.body.state)).toEqual(['pending', 'success']);
    const reviews = await waitFor(async () => {
      const listed = await client.list({ tenant: 'acme/demo-app' });
      return listed.length === 2 ? listed : undefined;
    }, 60_000);
    expect(reviews.map((r) => r.reviewId).sort()).toEqual([OPENED_ID, SYNC_ID]);
    const described = await client.describe(OPENED_ID);
    expect(described.summary).toBe('pr-review · acme/demo-app#42 · high');
  });

  test('a failing review is reported as a failure', async () => {
    const failing: PipelineInput = { name: 'pr-checks', steps: [{ id: 'tests', uses: 'flaky' }, { id: 'report', uses: 'echo', needs: ['tests'] }] };
    const own = createWebhookServer({
      secret: SECRET,
      client,
      statusApiBaseUrl: statusApi.url,
      pipeline: failing,
      reviewOptions: { taskQueuePrefix: prefix },
      logger: pino({ level: 'silent' }),
    });
    const ownUrl = await own.listen();
    recorder.broken.add('tests');
    try {
      await withReviewWorkers(connection, prefix, recorder.activities, async () => {
        const response = await fetch(`${ownUrl}/`, { method: 'POST', body: OTHER, headers: signed(OTHER) });
        expect(response.status).toBe(202);
        expect(await response.json()).toMatchObject({ reviewId: OTHER_ID, existing: false });
        await waitFor(async () => (statusesFor('1111111111111111111111111111111111111111').length === 2 ? true : undefined), 60_000);
      });
    } finally {
      recorder.broken.delete('tests');
      await own.idle();
      await own.close();
    }
    const [pending, final] = statusesFor('1111111111111111111111111111111111111111');
    expect(pending?.body).toMatchObject({ state: 'pending', context: 'review-orchestrator/pr-review' });
    expect(final?.body).toMatchObject({ state: 'failure', description: expect.stringMatching(/^review failed: .*tests/) });
    expect(final?.authorization).toBeUndefined();
  });
});
