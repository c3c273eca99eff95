/**
 * GitHub's own sample deliveries (../shared/conformance/github-webhooks, from octokit/webhooks) against the
 * tables in README.md: every `pull_request` and `pull_request_review` action found there must be in the
 * table, and the webhook must do what the table says, delivered as JSON and form-encoded, signed as GitHub
 * signs. Skipped, with a message, where the folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { parseDirectory } from '../../src/directory';
import { createWebhookServer, type WebhookServer } from '../../src/webhook/server';
import { deliver, type Encoding } from './deliver';
import { FakeReviews } from './fake-reviews';

const ROOT = resolve(__dirname, '../../../shared/conformance/github-webhooks');
const present = existsSync(join(ROOT, 'pull_request'));
if (!present) console.log(`GitHub webhook conformance skipped: ${ROOT} is absent (CI provides it).`);
const maybe = present ? describe : describe.skip;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Verb = 'review' | 'supersede' | 'cancel' | 'ignore' | 'approve' | 'reject' | 'withdraw';
const SECRET = "It's a Secret to Everybody";
const ENCODINGS: Encoding[] = ['json', 'form'];

/** The README table under `heading`: the actions of its first column → the verb of its second. */
function readmeTable(heading: string): Map<string, Verb> {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README.md has no heading ${heading}`);
  const rows = readme.slice(start).split('\n').slice(1);
  const table = new Map<string, Verb>();
  let inTable = false;
  for (const row of rows) {
    if (!row.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = row.split('|').map((c) => c.trim());
    const [first, verb] = [cells[1] ?? '', cells[2] ?? ''];
    if (first === 'Action' || first.startsWith('---')) continue;
    const names = [...first.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    // `submitted` (state `approved`) → submitted:approved
    const key = names.length === 2 && first.includes('(state') ? [`${names[0]}:${names[1]}`] : names;
    for (const name of key) table.set(name, verb as Verb);
  }
  return table;
}

const load = (folder: string, file: string): Doc => JSON.parse(readFileSync(join(ROOT, folder, file), 'utf8')) as Doc;
const files = (folder: string): string[] => (present ? readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.json')).sort() : []);

maybe('GitHub webhook conformance (octokit/webhooks payload examples)', () => {
  const reviews = new FakeReviews();
  let server: WebhookServer;
  let url: string;
  const prTable = readmeTable('#### `pull_request` actions');
  const reviewTable = readmeTable('#### `pull_request_review` actions');

  beforeAll(async () => {
    const directory = parseDirectory('roles:\n  maintainer:\n    users: [Codertocat]\n', 'people.yaml');
    server = createWebhookServer({ secret: SECRET, client: reviews, directory, logger: pino({ level: 'silent' }) });
    url = await server.listen();
  });
  afterAll(() => server.close());

  test('the README tables name every action in the sample deliveries', () => {
    const prActions = new Set(files('pull_request').map((f) => load('pull_request', f).action as string));
    expect([...prActions].filter((a) => !prTable.has(a))).toEqual([]);
    expect(prActions.size).toBeGreaterThanOrEqual(14);
    for (const f of files('pull_request_review')) {
      const doc = load('pull_request_review', f);
      const key = doc.action === 'submitted' ? `submitted:${String(doc.review.state).toLowerCase()}` : doc.action;
      expect(reviewTable.has(key) ? key : `missing ${key}`).toBe(key);
    }
  });

  test.each(files('pull_request'))('pull_request/%s does what the README table says', async (file) => {
    const doc = load('pull_request', file);
    const action = doc.action as string;
    const verb = prTable.get(action);
    const repo = doc.repository.full_name as string;
    const number = doc.pull_request.number as number;
    const head = doc.pull_request.head.sha as string;
    const headId = `pr:${repo}#${number}@${head}`;
    const olderId = `pr:${repo}#${number}@${'0'.repeat(40)}`;
    const beforeId = doc.before ? `pr:${repo}#${number}@${doc.before as string}` : undefined;
    const subject = { subject: `${repo}#${number}`, tenant: repo };
    for (const encoding of ENCODINGS) {
      reviews.reset();
      reviews.seed(olderId, subject);
      if (beforeId) reviews.seed(beforeId, { ...subject, invisible: true });
      if (verb === 'cancel') reviews.seed(headId, { ...subject, invisible: true });
      const reply = await deliver(url, SECRET, 'pull_request', doc, { encoding });
      const started = reviews.calls.filter((c) => c.kind === 'start').map((c) => c.kind === 'start' && c.id);
      const cancelled = reviews.calls.filter((c) => c.kind === 'cancel');
      switch (verb) {
        case 'review':
        case 'supersede': {
          expect(reply).toMatchObject({ status: 202, json: { action: 'review', reviewId: headId, existing: false } });
          expect(started).toEqual([headId]);
          expect(reviews.last(headId)?.input).toMatchObject({ repo, number, sha: head, fork: false, apiUrl: 'https://api.github.com' });
          const superseded = [olderId, ...(verb === 'supersede' && beforeId ? [beforeId] : [])].sort();
          expect(reply.json.superseded).toEqual(superseded);
          for (const id of superseded) expect(reviews.last(id)).toMatchObject({ state: 'cancelled', cancelReason: `superseded by ${head}` });
          break;
        }
        case 'cancel':
          expect(reply).toMatchObject({ status: 202, json: { action: 'cancel', cancelled: [olderId, headId].sort() } });
          expect(started).toEqual([]);
          for (const id of [olderId, headId]) expect(reviews.last(id)?.state).toBe('cancelled');
          break;
        case 'ignore':
          expect(reply).toMatchObject({ status: 202, json: { ignored: `action ${action}`, reason: expect.any(String) } });
          expect(started).toEqual([]);
          expect(cancelled).toEqual([]);
          break;
        default:
          throw new Error(`README has no row for pull_request action ${action} (${file})`);
      }
    }
  });

  const reviewCases: [string, string][] = files('pull_request_review').flatMap((f): [string, string][] => {
    const doc = load('pull_request_review', f);
    if (doc.action !== 'submitted') return [[f, doc.action as string]];
    // the samples only hold a comment: the same delivery as an approval and a change request too
    return ['commented', 'approved', 'changes_requested'].map((state): [string, string] => [f, `submitted:${state}`]);
  });

  test.each(reviewCases)('pull_request_review/%s as %s does what the README table says', async (file, key) => {
    const doc = load('pull_request_review', file);
    if (key.startsWith('submitted:')) doc.review.state = key.slice('submitted:'.length);
    const repo = doc.repository.full_name as string;
    const headId = `pr:${repo}#${doc.pull_request.number as number}@${doc.pull_request.head.sha as string}`;
    const verb = reviewTable.get(key);
    for (const encoding of ENCODINGS) {
      reviews.reset();
      reviews.seed(headId, { subject: `${repo}#${doc.pull_request.number as number}`, tenant: repo });
      const reply = await deliver(url, SECRET, 'pull_request_review', doc, { encoding });
      const decisions = reviews.calls.filter((c) => c.kind === 'approve' || c.kind === 'reject');
      if (verb === 'approve' || verb === 'reject') {
        expect(reply).toMatchObject({ status: 200, json: { action: verb, reviewId: headId, by: 'Codertocat', roles: ['maintainer'] } });
        expect(decisions).toEqual([{ kind: verb, id: headId, decision: expect.objectContaining({ by: 'Codertocat', roles: ['maintainer'] }) }]);
      } else if (verb === 'withdraw') {
        expect(reply).toMatchObject({ status: 200, json: { action: 'withdraw', reviewId: headId, by: 'Codertocat' } });
        expect(reviews.calls.filter((c) => c.kind === 'withdraw')).toEqual([{ kind: 'withdraw', id: headId, input: expect.objectContaining({ by: 'Codertocat' }) }]);
        expect(decisions).toEqual([]);
      } else {
        expect(verb).toBe('ignore');
        expect(reply).toMatchObject({ status: 202, json: { ignored: expect.stringMatching(/^pull_request_review /), reason: expect.any(String) } });
        expect(decisions).toEqual([]);
      }
    }
  });

  test.each(files('ping'))('ping/%s is answered 200', async (file) => {
    for (const encoding of ENCODINGS) {
      const reply = await deliver(url, SECRET, 'ping', load('ping', file), { encoding });
      expect(reply).toMatchObject({ status: 200, json: { ok: true, event: 'ping', hookId: expect.any(Number) } });
    }
  });

  test.each(['push', 'check_run', 'check_suite'].flatMap((folder) => files(folder).map((f) => `${folder}/${f}`)))('%s is another event: ignored', async (path) => {
    const [folder, file] = path.split('/') as [string, string];
    reviews.reset();
    const reply = await deliver(url, SECRET, folder, load(folder, file));
    expect(reply).toMatchObject({ status: 202, json: { ignored: `event ${folder}` } });
    expect(reviews.calls).toEqual([]);
  });
});
