/**
 * What the webhook does for each kind of delivery, against a recording stand-in for the review client
 * (no Temporal needed): encodings, ids, drafts, cancels, supersedes, ping, 503, redeliveries, approvals.
 * test/webhook/webhook.test.ts does the same against real reviews on the dev server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { ReviewClient } from '../../src/client';
import { parseDirectory } from '../../src/directory';
import { pullRequestInfo, reviewIdFor, reviewInputFor, parsePullRequestEvent } from '../../src/webhook/payload';
import { createWebhookServer, type WebhookServer, type WebhookServerOptions } from '../../src/webhook/server';
import { signBody } from '../../src/webhook/signature';
import { detailsLink, webhookConfig, webhookPipelineProblems, webUiLink } from '../../src/webhook/main';
import { deliver, encodeBody } from './deliver';
import { FakeReviews } from './fake-reviews';

const SECRET = 'test-webhook-secret-0123456789';
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fixture = (name: string): Doc => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webhook', name), 'utf8')) as Doc;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const OPENED = fixture('pull_request.opened.json');
const SYNCHRONIZE = fixture('pull_request.synchronize.json');
const CLOSED = fixture('pull_request.closed.json');
const SHA_A = '9f1c2d3e4a5b6c7d8e9f00112233445566778899';
const SHA_B = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9';
const ID_A = `pr:acme/demo-app#42@${SHA_A}`;
const ID_B = `pr:acme/demo-app#42@${SHA_B}`;
const SUBJECT = { subject: 'acme/demo-app#42', tenant: 'acme/demo-app' };
const DIRECTORY = parseDirectory('roles:\n  maintainer:\n    users: [alice]\n    teams: [acme/core]\nteams:\n  acme/core: [Dave]\n', 'people.yaml');

const withAction = (doc: Doc, action: string, edit: (d: Doc) => void = () => undefined): Doc => {
  const out = clone(doc);
  out.action = action;
  edit(out);
  return out;
};
const synchronize = (before: string, after: string): Doc =>
  withAction(SYNCHRONIZE, 'synchronize', (d) => {
    d.before = before;
    d.after = after;
    d.pull_request.head.sha = after;
  });
const reviewEvent = (state: string, login: string, sha = SHA_A, action = 'submitted'): Doc => ({
  action,
  review: { id: 1, user: { login }, state, body: 'Looks good', commit_id: sha, html_url: 'https://github.com/acme/demo-app/pull/42#pullrequestreview-1' },
  pull_request: withAction(OPENED, 'x', (d) => (d.pull_request.head.sha = sha)).pull_request,
  repository: OPENED.repository,
});

const reviews = new FakeReviews();
const servers: WebhookServer[] = [];
let url: string;

async function serve(options: Partial<WebhookServerOptions> = {}): Promise<string> {
  const server = createWebhookServer({ secret: SECRET, client: reviews, logger: pino({ level: 'silent' }), deadlineMs: 300, maxBodyBytes: 64 * 1024, directory: DIRECTORY, ...options });
  servers.push(server);
  return server.listen();
}

beforeAll(async () => {
  url = await serve();
});
beforeEach(() => reviews.reset());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const starts = () => reviews.calls.filter((c) => c.kind === 'start');
const cancels = () => reviews.calls.filter((c) => c.kind === 'cancel');

describe('deliveries', () => {
  test('form-encoded deliveries are accepted, signed over the raw form body', async () => {
    const form = await deliver(url, SECRET, 'pull_request', OPENED, { encoding: 'form' });
    expect(form).toMatchObject({ status: 202, json: { action: 'review', reviewId: ID_A, existing: false } });
    const body = encodeBody(OPENED, 'form');
    // signed over the decoded JSON instead of the bytes sent: refused
    const wrong = await fetch(`${url}/webhook`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'pull_request', 'x-hub-signature-256': signBody(SECRET, JSON.stringify(OPENED)) },
    });
    expect(wrong.status).toBe(401);
    const noPayload = await deliver(url, SECRET, 'pull_request', 'x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(noPayload).toMatchObject({ status: 400, json: { error: expect.stringMatching(/without a payload= field/) } });
    const notJson = Buffer.from('payload=%7Bnope');
    const bad = await fetch(`${url}/webhook`, {
      method: 'POST',
      body: notJson,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'pull_request', 'x-hub-signature-256': signBody(SECRET, notJson) },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'body is not JSON (in the payload= field)' });
    const xml = await deliver(url, SECRET, 'pull_request', OPENED, { headers: { 'content-type': 'text/xml' } });
    expect(xml).toMatchObject({ status: 415, json: { error: expect.stringMatching(/application\/json or application\/x-www-form-urlencoded/) } });
    expect(starts()).toHaveLength(1);
  });

  test('signatures, ping, other events, bad payloads, oversized bodies', async () => {
    const unsigned = await fetch(`${url}/webhook`, { method: 'POST', body: JSON.stringify(OPENED), headers: { 'x-github-event': 'pull_request' } });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: expect.stringMatching(/X-Hub-Signature-256/) });
    expect(await deliver(url, SECRET, 'ping', { zen: 'Keep it logically awesome.', hook_id: 7 })).toMatchObject({ status: 200, json: { ok: true, event: 'ping', hookId: 7 } });
    expect(await deliver(url, SECRET, 'ping', { zen: 'Form.' }, { encoding: 'form' })).toMatchObject({ status: 200, json: { ok: true, event: 'ping' } });
    expect(await deliver(url, SECRET, 'issues', OPENED)).toMatchObject({ status: 202, json: { ignored: 'event issues' } });
    const incomplete = await deliver(url, SECRET, 'pull_request', { ...OPENED, pull_request: { number: 42 } });
    expect(incomplete).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^not a valid pull_request event: pull_request\.title/) } });
    const badReview = await deliver(url, SECRET, 'pull_request_review', { action: 'submitted' });
    expect(badReview).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^not a valid pull_request_review event: review/) } });
    const huge = await deliver(url, SECRET, 'pull_request', 'a'.repeat(100 * 1024));
    expect(huge.status).toBe(413);
    expect(reviews.calls).toEqual([]);
  });
});

describe('review ids and input', () => {
  const info = (owner: string, repo: string) =>
    pullRequestInfo(
      withAction(OPENED, 'opened', (d) => {
        d.repository.full_name = `${owner}/${repo}`;
        d.repository.name = repo;
        d.repository.owner.login = owner;
      }) as never,
    );

  test('ids that used to collide no longer do, and stay valid workflow ids', async () => {
    const one = reviewIdFor(info('a-b', 'c'));
    const two = reviewIdFor(info('a', 'b-c'));
    expect(one).toBe(`pr:a-b/c#42@${SHA_A}`);
    expect(two).toBe(`pr:a/b-c#42@${SHA_A}`);
    expect(one).not.toBe(two);
    for (const id of [one, two, reviewIdFor(info('x'.repeat(39), 'y'.repeat(100)))]) {
      expect(Buffer.byteLength(id)).toBeLessThan(1000);
      expect(id).toMatch(/^[\x21-\x7e]+$/);
    }
    for (const [owner, repo] of [['a-b', 'c'], ['a', 'b-c']] as const) {
      const doc = withAction(OPENED, 'opened', (d) => {
        d.repository.full_name = `${owner}/${repo}`;
        d.repository.name = repo;
        d.repository.owner.login = owner;
      });
      expect((await deliver(url, SECRET, 'pull_request', doc)).status).toBe(202);
    }
    expect(starts().map((s) => s.id)).toEqual([one, two]);
    const bad = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'opened', (d) => (d.repository.full_name = 'a/b#1@x')));
    expect(bad).toMatchObject({ status: 400, json: { error: expect.stringMatching(/repository\.full_name: expected owner\/name/) } });
  });

  test('the input has what the pipeline reads, fork and API base, and no token', async () => {
    const apiUrl = await serve({ apiUrl: 'https://github.example.com/api/v3/' });
    await deliver(apiUrl, SECRET, 'pull_request', OPENED);
    const [start] = starts();
    expect(start?.kind === 'start' && start.options).toMatchObject({ id: ID_A, tenant: 'acme/demo-app', subject: 'acme/demo-app#42', restartIfCancelled: true });
    expect(start?.kind === 'start' && start.input).toEqual({
      repo: 'acme/demo-app',
      owner: 'acme',
      name: 'demo-app',
      number: 42,
      sha: SHA_A,
      headSha: SHA_A,
      headRef: expect.any(String),
      baseRef: 'main',
      baseSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      fork: false,
      cloneUrl: 'https://github.com/acme/demo-app.git',
      apiUrl: 'https://github.example.com/api/v3',
      title: expect.any(String),
      author: 'octocat',
      url: 'https://github.com/acme/demo-app/pull/42',
      mergeUrl: 'https://github.example.com/api/v3/repos/acme/demo-app/pulls/42/merge',
    });
    expect(JSON.stringify(start)).not.toMatch(/token/i);
    const fromFork = withAction(OPENED, 'opened', (d) => {
      d.pull_request.head.repo.full_name = 'mallory/demo-app';
      d.pull_request.head.repo.clone_url = 'https://github.com/mallory/demo-app.git';
    });
    const parsed = parsePullRequestEvent(fromFork);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(reviewInputFor(pullRequestInfo(parsed.event))).toMatchObject({ fork: true, cloneUrl: 'https://github.com/mallory/demo-app.git', apiUrl: 'https://api.github.com' });
    const gone = parsePullRequestEvent(withAction(OPENED, 'opened', (d) => (d.pull_request.head.repo = null)));
    if (!gone.ok) throw new Error(gone.reason);
    expect(reviewInputFor(pullRequestInfo(gone.event))).toMatchObject({ fork: true, cloneUrl: 'https://github.com/acme/demo-app.git' });
  });

  test('with REVIEW_WEB_UI_URL, the input links to the review, the link GitHub shows beside its status', async () => {
    const linked = await serve({ detailsUrl: webUiLink('https://temporal.example.com/', 'reviews') });
    await deliver(linked, SECRET, 'pull_request', OPENED);
    const [start] = starts();
    expect(start?.kind === 'start' && start.input.detailsUrl).toBe(`https://temporal.example.com/namespaces/reviews/workflows/${encodeURIComponent(ID_A)}`);
  });

  test('with REVIEW_UI_BASE_URL, GitHub links to the review page, before the Temporal Web UI', async () => {
    const both = webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_UI_BASE_URL: 'https://reviews.example.com/', REVIEW_WEB_UI_URL: 'https://temporal.example.com' });
    const link = detailsLink(both, 'reviews');
    expect(link?.('acme/app#7 a')).toBe('https://reviews.example.com/reviews/acme%2Fapp%237%20a');
    expect(detailsLink({ REVIEW_WEB_UI_URL: 'https://temporal.example.com' }, 'reviews')?.('r')).toBe('https://temporal.example.com/namespaces/reviews/workflows/r');
    expect(detailsLink({}, 'reviews')).toBeUndefined();
    expect(() => webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_UI_BASE_URL: 'ftp://x' })).toThrow(/REVIEW_UI_BASE_URL: write where the review page is reached/);
    const linked = await serve({ detailsUrl: link });
    await deliver(linked, SECRET, 'pull_request', OPENED);
    const [start] = starts();
    expect(start?.kind === 'start' && start.input.detailsUrl).toBe(`https://reviews.example.com/reviews/${encodeURIComponent(ID_A)}`);
  });
});

describe('pull_request actions', () => {
  test('drafts are skipped; ready_for_review reviews them; REVIEW_DRAFTS reviews them at once', async () => {
    const draft = withAction(OPENED, 'opened', (d) => (d.pull_request.draft = true));
    expect(await deliver(url, SECRET, 'pull_request', draft)).toMatchObject({ status: 202, json: { ignored: 'action opened', reason: expect.stringMatching(/draft/) } });
    expect(starts()).toEqual([]);
    const ready = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'ready_for_review'));
    expect(ready).toMatchObject({ status: 202, json: { action: 'review', reviewId: ID_A, existing: false } });
    const drafts = await serve({ reviewDrafts: true });
    reviews.reset();
    expect(await deliver(drafts, SECRET, 'pull_request', draft)).toMatchObject({ status: 202, json: { action: 'review', reviewId: ID_A } });
    const converted = withAction(OPENED, 'converted_to_draft', (d) => (d.pull_request.draft = true));
    expect(await deliver(drafts, SECRET, 'pull_request', converted)).toMatchObject({ status: 202, json: { ignored: 'action converted_to_draft' } });
    expect(reviews.last(ID_A)?.state).toBe('running');
    // a closed pull request is never reviewed, whatever the action says
    reviews.reset();
    const late = withAction(OPENED, 'synchronize', (d) => (d.pull_request.state = 'closed'));
    expect(await deliver(url, SECRET, 'pull_request', late)).toMatchObject({ status: 202, json: { reason: 'the pull request is closed' } });
    expect(starts()).toEqual([]);
  });

  test('closed and converted_to_draft cancel the open reviews, including one visibility does not list yet', async () => {
    for (const action of ['closed', 'converted_to_draft']) {
      reviews.reset();
      reviews.seed(ID_A, { ...SUBJECT, invisible: true });
      reviews.seed(ID_B, SUBJECT);
      reviews.seed(`pr:acme/demo-app#43@${SHA_B}`, { subject: 'acme/demo-app#43', tenant: 'acme/demo-app' });
      reviews.seed('someone-elses-review', SUBJECT);
      const doc = withAction(CLOSED, action, (d) => (d.pull_request.head.sha = SHA_A));
      const reply = await deliver(url, SECRET, 'pull_request', doc);
      const reason = action === 'closed' ? 'pull request closed' : 'pull request converted to draft';
      expect(reply).toMatchObject({ status: 202, json: { action: 'cancel', reason, cancelled: [ID_A, ID_B] } });
      expect(reviews.last(ID_A)).toMatchObject({ state: 'cancelled', cancelReason: reason });
      expect(reviews.last(`pr:acme/demo-app#43@${SHA_B}`)?.state).toBe('running');
      expect(reviews.last('someone-elses-review')?.state).toBe('running');
      // a redelivery finds them cancelled: nothing more to do
      expect(await deliver(url, SECRET, 'pull_request', doc)).toMatchObject({ status: 202, json: { cancelled: [] } });
    }
    // merged: the review of the merged head may be the one that merged; it finishes by itself
    reviews.reset();
    reviews.seed(ID_A, SUBJECT);
    reviews.seed(ID_B, SUBJECT);
    const merged = withAction(CLOSED, 'closed', (d) => {
      d.pull_request.head.sha = SHA_B;
      d.pull_request.merged = true;
    });
    expect(await deliver(url, SECRET, 'pull_request', merged)).toMatchObject({ json: { action: 'cancel', reason: 'pull request merged', cancelled: [ID_A] } });
    expect(reviews.last(ID_B)?.state).toBe('running');
    // merged by a person while the review of that head waited for its approval: it is cancelled too
    reviews.reset();
    reviews.seed(ID_B, { ...SUBJECT, stepStates: ['succeeded', 'awaiting_approval', 'pending'] });
    expect(await deliver(url, SECRET, 'pull_request', merged)).toMatchObject({ json: { action: 'cancel', reason: 'pull request merged', cancelled: [ID_B] } });
    // a gate open beside a running step: it may be merging, so it is left to finish
    reviews.reset();
    reviews.seed(ID_B, { ...SUBJECT, stepStates: ['running', 'awaiting_approval'] });
    expect(await deliver(url, SECRET, 'pull_request', merged)).toMatchObject({ json: { cancelled: [] } });
  });

  test('synchronize supersedes the older review; a redelivery about an older head cancels nothing', async () => {
    expect((await deliver(url, SECRET, 'pull_request', synchronize('1'.repeat(40), SHA_A), { delivery: 'push-a' })).json).toMatchObject({ reviewId: ID_A, existing: false });
    reviews.reviews.get(ID_A)!.invisible = true; // visibility has not caught up: found by the `before` SHA
    const push = await deliver(url, SECRET, 'pull_request', synchronize(SHA_A, SHA_B), { delivery: 'push-b' });
    expect(push).toMatchObject({ status: 202, json: { action: 'review', reviewId: ID_B, existing: false, superseded: [ID_A] } });
    expect(reviews.last(ID_A)).toMatchObject({ state: 'cancelled', cancelReason: `superseded by ${SHA_B}` });
    // the push that made SHA_A the head, redelivered: its review is closed and stays so, B goes on
    const late = await deliver(url, SECRET, 'pull_request', synchronize('1'.repeat(40), SHA_A), { delivery: 'push-a' });
    expect(late).toMatchObject({ status: 202, json: { reviewId: ID_A, existing: true, closed: true, superseded: [] } });
    expect(reviews.last(ID_B)?.state).toBe('running');
    // a push to a draft reviews nothing but still cancels the older head's review
    const draftPush = withAction(synchronize(SHA_B, 'c'.repeat(40)), 'synchronize', (d) => (d.pull_request.draft = true));
    expect(await deliver(url, SECRET, 'pull_request', draftPush)).toMatchObject({ status: 202, json: { superseded: [ID_B] } });
  });

  test('a late delivery about an older head whose review never started neither starts it nor supersedes the newer one', async () => {
    const at = (time: string) => (d: Doc) => (d.pull_request.updated_at = time);
    const push = withAction(synchronize('1'.repeat(40), SHA_B), 'synchronize', at('2026-11-25T10:00:05Z'));
    expect(await deliver(url, SECRET, 'pull_request', push, { delivery: 'push-b' })).toMatchObject({ json: { reviewId: ID_B, existing: false } });
    // `opened` for SHA_A got a 503 earlier and is redelivered now, after the push to SHA_B
    const late = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'opened', at('2026-11-25T10:00:00Z')), { delivery: 'opened-a' });
    expect(late).toMatchObject({
      status: 202,
      json: { ignored: 'action opened', newer: [ID_B], reason: expect.stringContaining(`about ${SHA_A} as of 2026-11-25T10:00:00Z, is older`) },
    });
    expect(reviews.reviews.has(ID_A)).toBe(false);
    expect(reviews.last(ID_B)?.state).toBe('running');
    // an event as new as the review's, or newer, goes on as before
    const reopened = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'reopened', at('2026-11-25T10:00:09Z')), { delivery: 'reopened-a' });
    expect(reopened).toMatchObject({ json: { reviewId: ID_A, existing: false, superseded: [ID_B] } });
  });

  test('redeliveries: the same review, never a second run; a new delivery restarts only a cancelled review', async () => {
    const first = await deliver(url, SECRET, 'pull_request', OPENED, { delivery: 'd-1' });
    const again = await deliver(url, SECRET, 'pull_request', OPENED, { delivery: 'd-1' });
    expect(again).toMatchObject({ json: { reviewId: ID_A, runId: first.json.runId, existing: true } });
    (reviews.last(ID_A) as { state: string }).state = 'completed';
    const finished = await deliver(url, SECRET, 'pull_request', OPENED, { delivery: 'd-1' });
    const reopened = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'reopened'), { delivery: 'd-2' });
    for (const reply of [finished, reopened]) expect(reply).toMatchObject({ json: { runId: first.json.runId, existing: true, closed: true } });
    expect(reviews.reviews.get(ID_A)?.runs).toHaveLength(1);
    // closed, then reopened: the cancelled review runs again, once
    (reviews.last(ID_A) as { state: string }).state = 'cancelled';
    const restarted = await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'reopened'), { delivery: 'd-3' });
    expect(restarted).toMatchObject({ json: { existing: false } });
    expect(restarted.json.runId).not.toBe(first.json.runId);
    (reviews.last(ID_A) as { state: string }).state = 'cancelled';
    for (const delivery of ['d-1', 'd-3']) {
      expect(await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'reopened'), { delivery })).toMatchObject({ json: { existing: true, closed: true } });
    }
    expect(reviews.reviews.get(ID_A)?.runs).toHaveLength(2);
    // a failed review stands for a new opened or synchronize, and runs again when the pull request is reopened
    (reviews.last(ID_A) as { state: string }).state = 'failed';
    expect(await deliver(url, SECRET, 'pull_request', OPENED, { delivery: 'd-4' })).toMatchObject({ json: { existing: true, closed: true } });
    expect(await deliver(url, SECRET, 'pull_request', withAction(OPENED, 'reopened'), { delivery: 'd-5' })).toMatchObject({ json: { existing: false } });
    expect(reviews.reviews.get(ID_A)?.runs).toHaveLength(3);
  });
});

describe('Temporal unreachable', () => {
  test('503 within the deadline, no internal address, the delivery id to redeliver', async () => {
    reviews.unreachable = true;
    const reply = await deliver(url, SECRET, 'pull_request', OPENED, { delivery: 'delivery-503' });
    expect(reply.status).toBe(503);
    expect(reply.json).toEqual({ error: expect.stringMatching(/unavailable.*Redeliver/s), delivery: 'delivery-503' });
    expect(reply.ms).toBeLessThan(2000);
  });

  test('a real client on an unreachable Temporal: 503 in about a second, and the log names the delivery', async () => {
    const address = '127.0.0.1:1';
    const connection = Connection.lazy({ address });
    const client = new ReviewClient(new Client({ connection }));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const server = createWebhookServer({ secret: SECRET, client, logger, deadlineMs: 1000 });
    const serverUrl = await server.listen();
    try {
      for (const [event, doc] of [
        ['pull_request', OPENED],
        ['pull_request', CLOSED],
        ['pull_request_review', reviewEvent('approved', 'alice')],
      ] as const) {
        const reply = await deliver(serverUrl, SECRET, event, doc, { delivery: `gone-${event}` });
        expect(reply.status).toBe(503);
        expect(reply.ms).toBeLessThan(2500);
        expect(JSON.stringify(reply.json)).not.toMatch(/127\.0\.0\.1|:1\b|grpc|ECONNREFUSED/i);
        expect(reply.json.delivery).toBe(`gone-${event}`);
      }
      expect(lines.join('\n')).toMatch(/redeliver delivery gone-pull_request /);
    } finally {
      // The connection stays open: retries the SDK scheduled against the unreachable server fire after the test,
      // and would throw "Channel has been shut down" into whatever test runs then.
      await server.close();
    }
  });

  test('settings that refuse every review (a task queue prefix no worker could have): 500 saying so, not a 503 to redeliver', async () => {
    const connection = Connection.lazy({ address: '127.0.0.1:1' });
    const client = new ReviewClient(new Client({ connection }), { taskQueuePrefix: 'bad prefix!' });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const server = createWebhookServer({ secret: SECRET, client, logger });
    const serverUrl = await server.listen();
    try {
      const reply = await deliver(serverUrl, SECRET, 'pull_request', OPENED, { delivery: 'misconfigured' });
      expect(reply).toMatchObject({ status: 500, json: { error: expect.stringMatching(/settings refused the review; nothing was started/), delivery: 'misconfigured' } });
      expect(lines.join('\n')).toContain('the task queue prefix \\"bad prefix!\\" is not valid');
    } finally {
      await server.close();
    }
  });
});

describe('pull_request_review', () => {
  test('approved approves and changes_requested rejects the open gate, with the directory roles of the login', async () => {
    reviews.seed(ID_A, SUBJECT);
    const approved = await deliver(url, SECRET, 'pull_request_review', reviewEvent('approved', 'alice'));
    expect(approved).toMatchObject({ status: 200, json: { action: 'approve', reviewId: ID_A, by: 'alice', roles: ['maintainer'], outcome: 'approved' } });
    const viaTeam = await deliver(url, SECRET, 'pull_request_review', reviewEvent('APPROVED', 'dave'), { encoding: 'form' });
    expect(viaTeam).toMatchObject({ status: 200, json: { action: 'approve', by: 'dave', roles: ['maintainer'] } });
    const rejected = await deliver(url, SECRET, 'pull_request_review', reviewEvent('changes_requested', 'alice'));
    expect(rejected).toMatchObject({ status: 200, json: { action: 'reject', outcome: 'rejected' } });
    const decisions = reviews.calls.filter((c) => c.kind === 'approve' || c.kind === 'reject');
    expect(decisions[0]).toEqual({
      kind: 'approve',
      id: ID_A,
      decision: { by: 'alice', hold: true, roles: ['maintainer'], comment: 'Looks good\nhttps://github.com/acme/demo-app/pull/42#pullrequestreview-1' },
    });
  });

  test('a dismissed review withdraws that approval from the review of the head; with no review of the head, nothing', async () => {
    reviews.seed(ID_A, SUBJECT);
    expect(await deliver(url, SECRET, 'pull_request_review', reviewEvent('dismissed', 'alice', SHA_A, 'dismissed'))).toMatchObject({
      status: 200,
      json: { action: 'withdraw', reviewId: ID_A, by: 'alice' },
    });
    expect(reviews.calls.filter((c) => c.kind === 'withdraw')).toEqual([{ kind: 'withdraw', id: ID_A, input: { by: 'alice', reason: 'review dismissed on GitHub' } }]);
    expect(await deliver(url, SECRET, 'pull_request_review', reviewEvent('dismissed', 'alice', SHA_B, 'dismissed'))).toMatchObject({
      status: 202,
      json: { ignored: 'pull_request_review dismissed', reviewId: ID_B, reason: 'no open review of that head' },
    });
  });

  test('an approval submitted on an older commit decides nothing about the head under review', async () => {
    reviews.seed(ID_A, SUBJECT);
    const stale = { ...reviewEvent('approved', 'alice'), review: { ...(reviewEvent('approved', 'alice').review as object), commit_id: SHA_B } };
    expect(await deliver(url, SECRET, 'pull_request_review', stale)).toMatchObject({
      status: 202,
      json: { ignored: 'pull_request_review submitted (approved)', reason: expect.stringContaining(`submitted on commit ${SHA_B}, not on the head under review (${SHA_A})`) },
    });
    expect(reviews.calls.filter((c) => c.kind === 'approve')).toEqual([]);
  });

  test('an approval no worker confirmed is a failed delivery to redeliver, not an ignored one', async () => {
    reviews.seed(ID_A, { ...SUBJECT, noWorker: true });
    const reply = await deliver(url, SECRET, 'pull_request_review', reviewEvent('approved', 'alice'), { delivery: 'approval-1' });
    expect(reply).toMatchObject({ status: 503, json: { delivery: 'approval-1', error: expect.stringMatching(/Redeliver it later/) } });
  });

  test('comments, strangers, unknown heads and closed gates decide nothing, with the reason', async () => {
    reviews.seed(ID_A, SUBJECT);
    expect(await deliver(url, SECRET, 'pull_request_review', reviewEvent('commented', 'alice'))).toMatchObject({ status: 202, json: { ignored: 'pull_request_review submitted (commented)' } });
    const stranger = await deliver(url, SECRET, 'pull_request_review', reviewEvent('approved', 'mallory'));
    expect(stranger).toMatchObject({ status: 202, json: { reviewId: ID_A, reason: expect.stringMatching(/mallory may not decide/) } });
    const unknown = await deliver(url, SECRET, 'pull_request_review', reviewEvent('approved', 'alice', SHA_B));
    expect(unknown).toMatchObject({ status: 202, json: { reviewId: ID_B, reason: expect.stringMatching(/no review with id/) } });
    reviews.seed(ID_B, { ...SUBJECT, gateOpen: false });
    expect(await deliver(url, SECRET, 'pull_request_review', reviewEvent('approved', 'alice', SHA_B))).toMatchObject({ status: 202, json: { reason: expect.stringMatching(/no approval gate is open/) } });
    const decided = reviews.calls.filter((c) => c.kind === 'approve' || c.kind === 'reject');
    expect(decided.map((c) => c.kind === 'approve' && c.decision.by)).toEqual(['mallory', 'alice', 'alice']);
    expect(decided[0]).toMatchObject({ decision: { by: 'mallory' } });
    expect(decided[0]?.kind === 'approve' && decided[0].decision.roles).toBeUndefined();
  });

  test('a configured gate step is named in the decision; without a directory a login holds no role', async () => {
    const gated = await serve({ gateStep: 'maintainer-approval', directory: undefined });
    reviews.seed(ID_A, { ...SUBJECT, approvers: ['alice'] });
    expect(await deliver(gated, SECRET, 'pull_request_review', reviewEvent('approved', 'alice'))).toMatchObject({ status: 200, json: { roles: [] } });
    expect(reviews.calls.find((c) => c.kind === 'approve')).toMatchObject({ decision: { by: 'alice', step: 'maintainer-approval' } });
  });
});

describe('configuration', () => {
  test('every variable is checked, with what it expects', () => {
    expect(() => webhookConfig({})).toThrow(/REVIEW_WEBHOOK_SECRET: set REVIEW_WEBHOOK_SECRET/);
    expect(() => webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_REVIEW_DRAFTS: 'maybe', REVIEW_WEBHOOK_DEADLINE: 'soon', REVIEW_GITHUB_API_URL: 'nope' })).toThrow(
      /REVIEW_GITHUB_API_URL: write the REST API base.*REVIEW_WEBHOOK_REVIEW_DRAFTS: write REVIEW_WEBHOOK_REVIEW_DRAFTS=true or REVIEW_WEBHOOK_REVIEW_DRAFTS=false.*REVIEW_WEBHOOK_DEADLINE: write a duration/s,
    );
    expect(() =>
      webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_ADDRESS: '127.0.0.1:99999', REVIEW_TASK_QUEUE_PREFIX: 'bad prefix!', REVIEW_WEBHOOK_GATE: ' ', REVIEW_STATUS_API_URL: 'nope' }),
    ).toThrow(
      /REVIEW_WEBHOOK_ADDRESS: '127.0.0.1:99999' is not an address to listen on: its port 99999 is above 65535, e.g. 0.0.0.0:8787.*REVIEW_STATUS_API_URL: write the REST API base.*REVIEW_WEBHOOK_GATE: name the gate step.*REVIEW_TASK_QUEUE_PREFIX: it may hold letters, digits/s,
    );
    expect(webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_ADDRESS: '[::1]:8787', REVIEW_TASK_QUEUE_PREFIX: '' })).toMatchObject({ REVIEW_WEBHOOK_ADDRESS: '[::1]:8787' });
    expect(webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_REVIEW_DRAFTS: 'true', REVIEW_WEBHOOK_DEADLINE: '1500ms' })).toMatchObject({
      REVIEW_WEBHOOK_REVIEW_DRAFTS: true,
      REVIEW_WEBHOOK_DEADLINE: '1500ms',
      REVIEW_WEBHOOK_PIPELINE: 'pr-review',
    });
  });

  test('a pipeline that does not load, params it refuses, or a gate it does not have, stop the webhook at start', () => {
    expect(webhookPipelineProblems({ REVIEW_WEBHOOK_PIPELINE: 'pr-review', REVIEW_WEBHOOK_GATE: 'maintainer-approval' })).toEqual([]);
    expect(webhookPipelineProblems({ REVIEW_WEBHOOK_PIPELINE: '/nonexistent/review.yaml' })).toEqual([expect.stringMatching(/^REVIEW_WEBHOOK_PIPELINE \(\/nonexistent\/review.yaml\): /)]);
    expect(webhookPipelineProblems({ REVIEW_WEBHOOK_PIPELINE: 'pr-review', REVIEW_WEBHOOK_PARAMS: { report: 'checks', strict: false } })).toEqual([]);
    expect(webhookPipelineProblems({ REVIEW_WEBHOOK_PIPELINE: 'pr-review', REVIEW_WEBHOOK_PARAMS: { report: 'annotations', colour: 'red' } })).toEqual([
      expect.stringMatching(/^REVIEW_WEBHOOK_PARAMS: params.colour: unknown param 'colour'/),
      expect.stringMatching(/^REVIEW_WEBHOOK_PARAMS: params.report: param 'report' is "annotations", which is not allowed/),
    ]);
    expect(() => webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_PARAMS: '[1]' })).toThrow('REVIEW_WEBHOOK_PARAMS: write the pipeline\'s params as a JSON object');
    expect(webhookConfig({ REVIEW_WEBHOOK_SECRET: SECRET, REVIEW_WEBHOOK_PARAMS: '{"report":"checks"}' }).REVIEW_WEBHOOK_PARAMS).toEqual({ report: 'checks' });
    expect(webhookPipelineProblems({ REVIEW_WEBHOOK_PIPELINE: 'pr-review', REVIEW_WEBHOOK_GATE: 'maintainer-aproval' })).toEqual([
      'REVIEW_WEBHOOK_GATE: maintainer-aproval is not a gate of pipeline pr-review (its gates: fork-approval, maintainer-approval); every approval from GitHub would be ignored',
    ]);
  });
});
