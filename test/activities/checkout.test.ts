import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ApplicationFailure } from '@temporalio/common';
import { WorkspaceHost } from '../../activities/workspace-host';
import { gitFixture, gitIn, type GitFixture } from '../helpers/git-fixtures';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server';
import { makeActivities, memoryLogger, runActivity, stepRequest } from './helpers';

interface Output {
  path: string;
  sha: string;
  queue: string;
  workspace: string;
  fetched: 'cache' | 'sha' | 'ref';
}

let fixture: GitFixture;
let root: string;
let host: WorkspaceHost;
const log = memoryLogger();
let activities: ReturnType<typeof makeActivities>;
let reviews = 0;

beforeAll(async () => {
  fixture = await gitFixture();
  root = await mkdtemp(join(tmpdir(), 'checkout-root-'));
  host = (await WorkspaceHost.start({ root, prefix: 'unit' })).host;
  activities = makeActivities([], { workspaces: host, logger: log.logger });
});

afterAll(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
  await rm(fixture.dir, { recursive: true, force: true });
});

function checkout(input: Record<string, unknown>, review = `review-${++reviews}`) {
  return runActivity(activities, stepRequest('checkout', input, { review: { id: review, pipeline: 'p', priority: 'normal' }, stepId: 'checkout' }));
}

function failure(error: unknown): ApplicationFailure {
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

describe('checkout executor', () => {
  test('checks out the exact commit into a workspace of this worker and returns its queue', async () => {
    const sha = fixture.main[0] as string;
    const { response, error } = await checkout({ repository: fixture.origin, sha: sha.toUpperCase() });
    expect(error).toBeUndefined();
    const out = response?.output as Output;
    expect(out).toMatchObject({ sha, queue: host.queue, fetched: 'sha' });
    expect(out.queue).toMatch(/^unit-host-.+-[0-9a-f]{8}$/);
    expect(out.path.startsWith(`${out.workspace}/`)).toBe(true);
    expect(out.workspace.startsWith(`${host.dir}/`)).toBe(true);
    expect(await gitIn(out.path, 'rev-parse', 'HEAD')).toBe(sha);
    expect(existsSync(join(out.path, 'README.md'))).toBe(true);
    expect(existsSync(join(out.path, 'index.js'))).toBe(false);
    expect(response?.summary).toContain(sha.slice(0, 12));
  });

  test('a second checkout reuses the cached objects: it needs no fetch, even with the origin gone', async () => {
    const sha = fixture.main[1] as string;
    const first = (await checkout({ repository: fixture.origin, sha })).response?.output as Output;
    expect(first.fetched).toBe('sha');
    const moved = `${fixture.origin}.away`;
    await rename(fixture.origin, moved);
    try {
      const second = (await checkout({ repository: fixture.origin, sha })).response?.output as Output;
      expect(second.fetched).toBe('cache');
      expect(second.path).not.toBe(first.path);
      expect(await gitIn(second.path, 'rev-parse', 'HEAD')).toBe(sha);
      // The workspace borrows the cache's objects instead of copying them.
      const alternates = readFileSync(join(second.path, '.git', 'objects', 'info', 'alternates'), 'utf8').trim();
      expect(alternates.startsWith(join(root, 'cache'))).toBe(true);
      expect(readdirSync(join(second.path, '.git', 'objects', 'pack'))).toEqual([]);
    } finally {
      await rename(moved, fixture.origin);
    }
    // A new commit is fetched into the same cache.
    const next = await fixture.commit('more.js', 'exports.more = true;\n');
    const third = (await checkout({ repository: fixture.origin, sha: next })).response?.output as Output;
    expect(third.fetched).toBe('sha');
    expect(readdirSync(join(root, 'cache')).filter((n) => n.endsWith('.git'))).toHaveLength(1);
  });

  test('a second checkout of the same step of the same review gets a directory of its own', async () => {
    const sha = fixture.main[0] as string;
    const a = (await checkout({ repository: fixture.origin, sha }, 'same-review')).response?.output as Output;
    const b = (await checkout({ repository: fixture.origin, sha }, 'same-review')).response?.output as Output;
    expect(b.workspace).toBe(a.workspace);
    expect(b.path).toBe(`${a.path}-2`);
  });

  test('depth 0 fetches the whole history', async () => {
    const sha = fixture.main[1] as string;
    const out = (await checkout({ repository: `file://${fixture.origin}`, sha, depth: 0 })).response?.output as Output;
    expect(await gitIn(out.path, 'rev-list', '--count', 'HEAD')).toBe('2');
  });

  test('refuses a short SHA, a ref outside refs/ and a repository that looks like an option', async () => {
    for (const input of [
      { repository: fixture.origin, sha: 'abc123' },
      { repository: fixture.origin, sha: fixture.pull, ref: 'main' },
      { repository: '--upload-pack=touch /tmp/x', sha: fixture.pull },
      { repository: 'relative/path', sha: fixture.pull },
    ]) {
      const f = failure((await checkout(input)).error);
      expect(f.type).toBe('InvalidStepInput');
      expect(f.nonRetryable).toBe(true);
    }
  });

  test('fails clearly without a workspace root', async () => {
    const bare = makeActivities();
    const { error } = await runActivity(bare, stepRequest('checkout', { repository: fixture.origin, sha: fixture.main[0] }));
    expect(failure(error).type).toBe('NoWorkspaceRoot');
  });
});

describe('checkout over HTTP', () => {
  let server: GitHttpServer;
  const token = 'ghs_S3cr3tT0kenValue42';
  const authorization = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;

  beforeAll(async () => {
    server = await startGitHttpServer({ root: fixture.served, authorization, refuseWants: [fixture.pull] });
  });
  afterAll(() => server.close());

  test('a commit only reachable through refs/pull/N/head is fetched through the ref', async () => {
    const repository = `${server.url}/origin.git`;
    const without = failure((await checkout({ repository, sha: fixture.pull, token })).error);
    expect(without.type).toBe('CheckoutFetchFailed');
    expect(without.message).toContain('pass ref: refs/pull/<number>/head');
    const { response, error } = await checkout({ repository, sha: fixture.pull, ref: 'refs/pull/1/head', token });
    expect(error).toBeUndefined();
    const out = response?.output as Output;
    expect(out.fetched).toBe('ref');
    expect(await gitIn(out.path, 'rev-parse', 'HEAD')).toBe(fixture.pull);
    expect(existsSync(join(out.path, 'feature.js'))).toBe(true);
    // Cached now: a later review of the same pull request needs no fetch.
    expect(((await checkout({ repository, sha: fixture.pull, ref: 'refs/pull/1/head', token })).response?.output as Output).fetched).toBe('cache');
  });

  test('the token reaches the server as a header and nowhere else: not in outputs, errors, logs, heartbeats or files', async () => {
    const repository = `${server.url}/origin.git`;
    const sha = fixture.main[0] as string;
    const before = server.requests.length;
    const ok = await checkout({ repository, sha, token, depth: 2 });
    expect(ok.error).toBeUndefined();
    expect(server.requests.slice(before).every((r) => r.authorization === authorization)).toBe(true);

    const wrong = `${token}-wrong`;
    const bad = await checkout({ repository, sha: fixture.main[1], token: wrong, depth: 3 });
    const f = failure(bad.error);
    expect(f.type).toBe('CheckoutFetchFailed');
    expect(f.message).toContain('authentication failed: check the token');
    const everything = [
      JSON.stringify(ok.response),
      JSON.stringify(ok.heartbeats),
      JSON.stringify(bad.heartbeats),
      f.message,
      JSON.stringify(f.details ?? null),
      f.stack ?? '',
      log.text(),
    ].join('\n');
    for (const secret of [token, wrong, Buffer.from(`x-access-token:${token}`).toString('base64'), Buffer.from(`x-access-token:${wrong}`).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
    // Nothing on disk holds it either (git config of the cache and the workspaces).
    const grep = spawnSync('grep', ['-rl', token, root]);
    expect(grep.stdout.toString()).toBe('');
  });

  test('without credentials git does not prompt: the checkout fails at once', async () => {
    const started = Date.now();
    const f = failure((await checkout({ repository: `${server.url}/origin.git`, sha: fixture.main[1], depth: 5 })).error);
    expect(f.type).toBe('CheckoutFetchFailed');
    expect(f.message).toMatch(/could not read Username|terminal prompts disabled|Authentication failed/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('a commit the ref does not reach is CommitNotFound, not retried', async () => {
    const f = failure((await checkout({ repository: `${server.url}/origin.git`, sha: 'f'.repeat(40), ref: 'refs/pull/1/head', token })).error);
    expect(f.type).toBe('CommitNotFound');
    expect(f.nonRetryable).toBe(true);
  });
});

describe('workspace host', () => {
  test('removes directories of processes that are gone, keeps live ones, and only ever removes its own review directories', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'workspace-root-'));
    const first = (await WorkspaceHost.start({ root: shared, prefix: 'w' })).host;
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const workers = join(shared, 'workers');
    const owner = (name: string, data: object) =>
      mkdir(join(workers, name, 'review-x', 'checkout'), { recursive: true }).then(() => writeFile(join(workers, name, 'owner.json'), JSON.stringify(data)));
    await owner('w-host-dead', { pid: Number(dead), hostname: hostname(), queue: 'w-host-dead' });
    await owner('w-host-elsewhere-fresh', { pid: 1, hostname: 'another-machine', queue: 'x' });
    await owner('w-host-elsewhere-stale', { pid: 1, hostname: 'another-machine', queue: 'y' });
    const old = new Date(Date.now() - 2 * 60 * 60_000);
    await utimes(join(workers, 'w-host-elsewhere-stale', 'owner.json'), old, old);
    await mkdir(join(workers, 'debris'));
    await utimes(join(workers, 'debris'), old, old);

    const { host: second, orphans } = await WorkspaceHost.start({ root: shared, prefix: 'w' });
    expect(orphans.removed.map((d) => d.split('/').pop()).sort()).toEqual(['debris', 'w-host-dead', 'w-host-elsewhere-stale']);
    expect(orphans.kept.map((d) => d.split('/').pop()).sort()).toEqual([first.queue, 'w-host-elsewhere-fresh'].sort());
    expect(second.queue).not.toBe(first.queue);

    const { workspace, path } = await second.allocate('review/with odd:chars', 'checkout');
    expect(existsSync(path)).toBe(true);
    expect(await second.remove(shared)).toBe(false);
    expect(await second.remove(first.dir)).toBe(false);
    expect(await second.remove(join(second.dir, 'owner.json'))).toBe(false);
    expect(await first.remove(workspace)).toBe(false);
    expect(await second.remove(workspace)).toBe(true);
    expect(existsSync(workspace)).toBe(false);

    // A host stopped in this process (same pid) counts as gone too; a graceful stop removes its own directory.
    await first.close();
    expect(existsSync(first.dir)).toBe(false);
    await mkdir(join(workers, 'w-host-stopped'), { recursive: true });
    await writeFile(join(workers, 'w-host-stopped', 'owner.json'), JSON.stringify({ pid: process.pid, hostname: hostname() }));
    expect((await second.cleanOrphans()).removed.map((d) => d.split('/').pop())).toEqual(['w-host-stopped']);
    expect(JSON.parse(await readFile(join(second.dir, 'owner.json'), 'utf8'))).toMatchObject({ pid: process.pid, queue: second.queue });
    await second.close();
    await rm(shared, { recursive: true, force: true });
  });
});
