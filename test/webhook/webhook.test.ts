/**
 * The webhook against real reviews on the dev server: reviews started per head, redeliveries that change
 * nothing (finished or not), a push superseding the older review with its reason in the history, close
 * cancelling, reopen restarting, and GitHub approvals deciding the gate with the directory's roles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { connectReviewClient, type ReviewClient } from '../../src/client';
import type { PipelineInput } from '../../src/definition/schema';
import { parseDirectory } from '../../src/directory';
import { createWebhookServer, type WebhookServer } from '../../src/webhook/server';
import { signBody, verifySignature } from '../../src/webhook/signature';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { deliver } from './deliver';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(180_000);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SECRET = 'test-webhook-secret-0123456789';
const fixture = (name: string): Doc => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'webhook', name), 'utf8')) as Doc;
const run = Date.now().toString(36);
// A repository name of its own per run, so reviews of earlier runs on the same dev server never meet these.
const REPO = `demo-app-${run}`;
const inRepo = (doc: Doc, edit: (d: Doc) => void = () => undefined): Doc => {
  const out = JSON.parse(JSON.stringify(doc).replaceAll('acme/demo-app', `acme/${REPO}`).replaceAll('"demo-app"', `"${REPO}"`)) as Doc;
  edit(out);
  return out;
};
const OPENED = inRepo(fixture('pull_request.opened.json'));
const SHA_A = '9f1c2d3e4a5b6c7d8e9f00112233445566778899';
const SHA_B = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9';
const idOf = (number: number, sha: string): string => `pr:acme/${REPO}#${number}@${sha}`;
const asPr = (doc: Doc, number: number, action: string, sha: string, edit: (d: Doc) => void = () => undefined): Doc => {
  const d = JSON.parse(JSON.stringify(doc)) as Doc;
  d.action = action;
  d.number = number;
  d.pull_request.number = number;
  d.pull_request.head.sha = sha;
  edit(d);
  return d;
};
const reviewEvent = (number: number, sha: string, state: string, login: string): Doc => ({
  action: 'submitted',
  review: { id: 1, user: { login }, state, body: null, commit_id: sha },
  pull_request: asPr(OPENED, number, 'x', sha).pull_request,
  repository: OPENED.repository,
});

const prefix = uniqueTaskQueue('webhook');
const recorder = recordingActivities();
const gated: PipelineInput = {
  name: 'pr-gated',
  steps: [
    { id: 'checks', uses: 'echo' },
    { id: 'maintainer-approval', needs: ['checks'], gate: { approvers: ['role:maintainer'] } },
    { id: 'merge', needs: ['maintainer-approval'], uses: 'echo' },
  ],
};
const directory = parseDirectory('roles:\n  maintainer:\n    teams: [acme/core]\nteams:\n  acme/core: [alice]\n', 'people.yaml');
let client: ReviewClient;
let connection: NativeConnection;
let webhook: WebhookServer;
let url: string;

beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress(), directory });
  connection = await NativeConnection.connect({ address: devServerAddress() });
  webhook = createWebhookServer({
    secret: SECRET,
    client,
    pipeline: gated,
    directory,
    reviewOptions: { taskQueuePrefix: prefix },
    deadlineMs: 10_000, // a shared, busy test server; the 503 path is tested with an unreachable one
    logger: pino({ level: 'silent' }),
  });
  url = await webhook.listen();
});

afterAll(async () => {
  await webhook.close();
  await client.close();
  await connection.close();
});

const withWorkers = <T>(fn: () => Promise<T>): Promise<T> => withReviewWorkers(connection, prefix, recorder.activities, fn);

async function atGate(id: string): Promise<void> {
  await waitFor(async () => ((await client.getStatus(id)).state === 'awaiting_approval' ? true : undefined), 60_000);
}

async function cancelCause(id: string): Promise<string | undefined> {
  const history = await client.temporal.workflow.getHandle(id).fetchHistory();
  return history.events?.find((e) => e.workflowExecutionCancelRequestedEventAttributes)?.workflowExecutionCancelRequestedEventAttributes?.cause ?? undefined;
}

test('signature: only the exact HMAC-SHA256 of the body (GitHub test vector)', () => {
  const body = Buffer.from('Hello, World!');
  const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  expect(signBody("It's a Secret to Everybody", body)).toBe(vector);
  expect(verifySignature("It's a Secret to Everybody", body, vector)).toBe(true);
  expect(verifySignature("It's a Secret to Everybody", body, vector.toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
  expect(verifySignature('other', body, vector)).toBe(false);
  expect(verifySignature("It's a Secret to Everybody", Buffer.from('Hello, World?'), vector)).toBe(false);
  expect(verifySignature("It's a Secret to Everybody", body, undefined)).toBe(false);
});

test('a push supersedes the older review; close cancels; reopen reviews again; redeliveries change nothing', async () => {
  await withWorkers(async () => {
    const opened = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 1, 'opened', SHA_A), { delivery: 'open-1' });
    expect(opened).toMatchObject({ status: 202, json: { action: 'review', reviewId: idOf(1, SHA_A), existing: false, superseded: [] } });
    await atGate(idOf(1, SHA_A));

    const push = asPr(OPENED, 1, 'synchronize', SHA_B, (d) => {
      d.before = SHA_A;
      d.after = SHA_B;
    });
    const pushed = await deliver(url, SECRET, 'pull_request', push, { delivery: 'push-1', encoding: 'form' });
    expect(pushed).toMatchObject({ status: 202, json: { reviewId: idOf(1, SHA_B), existing: false, superseded: [idOf(1, SHA_A)] } });
    expect(pushed.ms).toBeLessThan(5000);
    expect(await client.result(idOf(1, SHA_A))).toMatchObject({ outcome: 'cancelled' });
    expect(await cancelCause(idOf(1, SHA_A))).toBe(`superseded by ${SHA_B}`);

    // a redelivery of the first push: its review is cancelled and stays so, the newer one goes on
    const again = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 1, 'opened', SHA_A), { delivery: 'open-1' });
    expect(again).toMatchObject({ json: { reviewId: idOf(1, SHA_A), runId: opened.json.runId, existing: true, closed: true, superseded: [] } });
    await atGate(idOf(1, SHA_B));

    const closed = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 1, 'closed', SHA_B, (d) => (d.pull_request.state = 'closed')), { delivery: 'close-1' });
    expect(closed).toMatchObject({ status: 202, json: { action: 'cancel', reason: 'pull request closed', cancelled: [idOf(1, SHA_B)] } });
    expect(await client.result(idOf(1, SHA_B))).toMatchObject({ outcome: 'cancelled' });

    const reopened = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 1, 'reopened', SHA_B), { delivery: 'reopen-1' });
    expect(reopened).toMatchObject({ status: 202, json: { reviewId: idOf(1, SHA_B), existing: false } });
    expect(reopened.json.runId).not.toBe(pushed.json.runId);
    const reopenedAgain = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 1, 'reopened', SHA_B), { delivery: 'reopen-1' });
    expect(reopenedAgain).toMatchObject({ json: { runId: reopened.json.runId, existing: true } });

    // GitHub approvals: a stranger decides nothing; a maintainer (through the acme/core team) approves
    await atGate(idOf(1, SHA_B));
    const stranger = await deliver(url, SECRET, 'pull_request_review', reviewEvent(1, SHA_B, 'approved', 'mallory'));
    expect(stranger).toMatchObject({ status: 202, json: { reason: expect.stringMatching(/mallory may not decide gate maintainer-approval/) } });
    const approved = await deliver(url, SECRET, 'pull_request_review', reviewEvent(1, SHA_B, 'approved', 'alice'));
    expect(approved).toMatchObject({ status: 200, json: { action: 'approve', by: 'alice', roles: ['maintainer'], outcome: 'approved' } });
    const result = await client.result(idOf(1, SHA_B));
    expect(result).toMatchObject({ outcome: 'completed', subject: `acme/${REPO}#1`, tenant: `acme/${REPO}` });

    // a redelivery of a finished review: same run, nothing restarted, nothing superseded
    for (const delivery of ['reopen-1', 'push-1']) {
      const doc = delivery === 'push-1' ? push : asPr(OPENED, 1, 'reopened', SHA_B);
      const replay = await deliver(url, SECRET, 'pull_request', doc, { delivery });
      expect(replay).toMatchObject({ json: { runId: reopened.json.runId, existing: true, closed: true, superseded: [] } });
    }
    const described = await client.describe(idOf(1, SHA_B));
    expect(described).toMatchObject({ runId: reopened.json.runId, execution: 'COMPLETED' });
  });
});

test('changes requested on GitHub reject the gate', async () => {
  await withWorkers(async () => {
    const opened = await deliver(url, SECRET, 'pull_request', asPr(OPENED, 2, 'opened', SHA_A));
    expect(opened).toMatchObject({ status: 202, json: { reviewId: idOf(2, SHA_A), existing: false } });
    await atGate(idOf(2, SHA_A));
    const rejected = await deliver(url, SECRET, 'pull_request_review', reviewEvent(2, SHA_A, 'changes_requested', 'alice'));
    expect(rejected).toMatchObject({ status: 200, json: { action: 'reject', outcome: 'rejected' } });
    expect(await client.result(idOf(2, SHA_A))).toMatchObject({ outcome: 'rejected' });
    // visibility catches up: both reviews of this repository are listed under its tenant
    const listed = await waitFor(async () => {
      const reviews = await client.list({ tenant: `acme/${REPO}`, subject: `acme/${REPO}#2` });
      return reviews.length === 1 ? reviews : undefined;
    }, 60_000);
    expect(listed[0]?.reviewId).toBe(idOf(2, SHA_A));
  });
});
