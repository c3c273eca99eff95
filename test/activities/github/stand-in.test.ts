/** The stand-in refuses what GitHub would refuse, with GitHub-shaped errors. */
import { generateKeyPairSync } from 'node:crypto';
import { appJwt } from '../../../activities/executors/github/app-auth';
import { startGitHubStandIn, type GitHubStandIn } from '../../../src/demo/github-api-stand-in';
import { HEAD, OTHER, REPO } from './fixtures';

let standIn: GitHubStandIn;
let appToken: string;

const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'test' };

async function call(method: string, path: string, body?: unknown, options: { token?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${standIn.apiUrl}${path}`, {
    method,
    headers: { ...HEADERS, authorization: `Bearer ${options.token ?? standIn.token}`, ...options.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> & { message: string } };
}

const checkRun = (body: Record<string, unknown>) => call('POST', `/repos/${REPO}/check-runs`, { name: 'review', head_sha: HEAD, ...body }, { token: appToken });
const annotation = (extra: Record<string, unknown> = {}) => ({ path: 'a.md', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm', ...extra });

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  const issued = await call('POST', `/app/installations/${standIn.app.installationId}/access_tokens`, undefined, { token: appJwt(standIn.app) });
  expect(issued.status).toBe(201);
  appToken = issued.json.token as string;
});
afterAll(() => standIn.close());

describe('GitHub REST stand-in', () => {
  test('accepts a valid check run and records it', async () => {
    const created = await checkRun({ status: 'completed', conclusion: 'success', output: { title: 't', summary: 's', annotations: [annotation()] } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'review', status: 'completed', conclusion: 'success', output: { annotations_count: 1 } });
    expect(standIn.checkRuns().find((run) => run.id === created.json.id)?.annotations).toHaveLength(1);
  });

  test('refuses unknown keys, bad enums and missing fields with 422', async () => {
    const unknown = await checkRun({ colour: 'green' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.message).toContain('"colour" is not a permitted key.');
    expect((await checkRun({ status: 'done' })).json.message).toMatch(/"done" is not one of/);
    expect((await checkRun({ status: 'pending' })).json.message).toContain('Only GitHub Actions');
    expect((await checkRun({ conclusion: 'great' })).status).toBe(422);
    expect((await checkRun({ conclusion: 'stale' })).status).toBe(422);
    expect((await checkRun({ status: 'completed' })).json.message).toContain('"conclusion" wasn\'t supplied.');
    expect((await checkRun({ output: { title: 't' } })).json.message).toContain('"summary" wasn\'t supplied.');
    const level = await checkRun({ output: { title: 't', summary: 's', annotations: [annotation({ annotation_level: 'error' })] } });
    expect(level.json.message).toMatch(/output\.annotations\[0\]\.annotation_level/);
    const missing = await call('POST', `/repos/${REPO}/check-runs`, { head_sha: HEAD }, { token: appToken });
    expect(missing.json.message).toContain('"name" wasn\'t supplied.');
    const columns = await checkRun({ output: { title: 't', summary: 's', annotations: [annotation({ end_line: 3, start_column: 2 })] } });
    expect(columns.json).toMatchObject({ message: 'Validation Failed', errors: [expect.objectContaining({ field: 'output.annotations[0].start_column' })] });
  });

  test('refuses more than 50 annotations in one request and a summary over 65535 characters', async () => {
    const many = await checkRun({ output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, () => annotation()) } });
    expect(many.status).toBe(422);
    expect(many.json).toMatchObject({ message: 'Validation Failed', errors: [expect.objectContaining({ field: 'output.annotations' })] });
    const long = await checkRun({ output: { title: 't', summary: 'x'.repeat(65_536) } });
    expect(long.json.errors).toEqual([expect.objectContaining({ field: 'output.summary', message: expect.stringContaining('maximum is 65535') })]);
  });

  test('check runs need App auth: a plain token gets 403 Resource not accessible by integration', async () => {
    const refused = await call('POST', `/repos/${REPO}/check-runs`, { name: 'x', head_sha: HEAD });
    expect(refused).toMatchObject({ status: 403, json: { message: 'Resource not accessible by integration' } });
  });

  test('commit statuses: state enum, description up to 140 characters counted in code points', async () => {
    const ok = await call('POST', `/repos/${REPO}/statuses/${HEAD}`, { state: 'success', context: 'review', description: '😀'.repeat(140) });
    expect(ok.status).toBe(201);
    const long = await call('POST', `/repos/${REPO}/statuses/${HEAD}`, { state: 'success', description: 'x'.repeat(141) });
    expect(long.json).toMatchObject({ message: 'Validation Failed', errors: [{ field: 'description', message: 'description is too long (maximum is 140 characters)' }] });
    expect((await call('POST', `/repos/${REPO}/statuses/${HEAD}`, { state: 'passed' })).status).toBe(422);
    expect((await call('POST', `/repos/${REPO}/statuses/${HEAD}`, {})).json.message).toContain('"state" wasn\'t supplied.');
    expect((await call('POST', `/repos/${REPO}/statuses/not-a-sha`, { state: 'success' })).json.message).toBe('No commit found for SHA: not-a-sha');
  });

  test('merge: 409 when the sha is not the head, 405 once merged, bad merge_method refused', async () => {
    standIn.addPullRequest(REPO, 7, { headSha: HEAD });
    expect((await call('PUT', `/repos/${REPO}/pulls/7/merge`, { sha: HEAD, merge_method: 'fast-forward' })).status).toBe(422);
    expect(await call('PUT', `/repos/${REPO}/pulls/7/merge`, { sha: OTHER })).toMatchObject({ status: 409, json: { message: 'Head branch was modified. Review and try the merge again.' } });
    const merged = await call('PUT', `/repos/${REPO}/pulls/7/merge`, { sha: HEAD, merge_method: 'squash' });
    expect(merged.json).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    expect((await call('PUT', `/repos/${REPO}/pulls/7/merge`, { sha: HEAD })).status).toBe(405);
    expect(standIn.merges()).toEqual([expect.objectContaining({ number: 7, sha: HEAD, mergeMethod: 'squash' })]);
    expect((await call('PUT', `/repos/${REPO}/pulls/99/merge`, { sha: HEAD })).status).toBe(404);
  });

  test('headers: X-GitHub-Api-Version and User-Agent are required; unknown tokens are bad credentials', async () => {
    const noVersion = await call('POST', `/repos/${REPO}/statuses/${HEAD}`, { state: 'success' }, { headers: { 'x-github-api-version': '' } });
    expect(noVersion.status).toBe(400);
    const noAgent = await fetch(`${standIn.apiUrl}/repos/${REPO}/pulls/1`, { headers: { 'x-github-api-version': '2022-11-28', authorization: `Bearer ${standIn.token}`, 'user-agent': '' } });
    expect(noAgent.status).toBe(403);
    expect((await call('GET', `/repos/${REPO}/pulls/1`, undefined, { token: 'ghp_unknown' })).json.message).toBe('Bad credentials');
  });

  test('App JWT: verified with the public key; a JWT signed by another key or living too long is refused', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const other = { ...standIn.app, privateKey: otherKey };
    const forged = await call('POST', `/app/installations/${standIn.app.installationId}/access_tokens`, undefined, { token: appJwt(other) });
    expect(forged.status).toBe(401);
    const wrongInstallation = await call('POST', `/app/installations/1/access_tokens`, undefined, { token: appJwt(standIn.app) });
    expect(wrongInstallation.status).toBe(404);
    const future = await call('POST', `/app/installations/${standIn.app.installationId}/access_tokens`, undefined, { token: appJwt(standIn.app, Date.now() + 30 * 60_000) });
    expect(future.status).toBe(401);
  });

  test('on demand: a secondary rate limit with retry-after, then normal answers', async () => {
    standIn.rateLimitNext({ retryAfterSeconds: 7, path: /\/pulls\// });
    standIn.addPullRequest(REPO, 8, { headSha: HEAD });
    const limited = await call('GET', `/repos/${REPO}/pulls/8`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json.message).toContain('secondary rate limit');
    expect((await call('GET', `/repos/${REPO}/pulls/8`)).status).toBe(200);
  });
});
