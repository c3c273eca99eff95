/**
 * A real git repository for the pull-request demo, built in a temporary directory from the sample
 * project (activities/samples/sample-change): a base commit on `main` without the reading-time module,
 * and the change that adds it on a feature branch. A bare copy is laid out as a code host serves it
 * (`<served>/<owner>/<name>.git`, with `refs/pull/<n>/head` as GitHub keeps it), for the loopback git
 * server.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SAMPLE_PROJECT = join(__dirname, '..', '..', 'activities', 'samples', 'sample-change');

/** The files of the sample project that make up the change under review. */
export const SAMPLE_CHANGE_FILES = ['src/reading-time.js', 'test/reading-time.test.js'];

/** Runs git in `cwd` with a fixed identity and no user or system configuration. */
export async function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
  return stdout.trim();
}

export interface SampleRepositoryOptions {
  /** owner/name (default acme/widgets). */
  repo?: string;
  /** The pull request's number, for refs/pull/<n>/head (default 42). */
  number?: number;
  /** The feature branch (default reading-time). */
  branch?: string;
  /** Extra files of the change (path → content), e.g. one a linter objects to. */
  change?: Record<string, string>;
  /** Author of the change's commit (default Octo Cat). */
  author?: { name: string; email: string };
}

export interface SampleRepository {
  /** The temporary directory holding everything. */
  dir: string;
  /** Working clone with both branches. */
  work: string;
  /** Project root for the git server: holds `<owner>/<name>.git`. */
  served: string;
  /** The bare repository under `served`. */
  bare: string;
  /** Path of the repository on the server: `/<owner>/<name>.git`. */
  urlPath: string;
  repo: string;
  number: number;
  branch: string;
  /** The commit on main the change starts from. */
  base: string;
  /** The change's commit: the pull request's head. */
  head: string;
  /** Files the change adds. */
  files: string[];
  remove(): Promise<void>;
}

async function commitAll(work: string, message: string, author?: { name: string; email: string }): Promise<string> {
  await gitIn(work, 'add', '-A');
  const who = author ? ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`] : [];
  await run('git', [...who, 'commit', '-q', '-m', message], {
    cwd: work,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      ...(author ? {} : { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com' }),
    },
  });
  return gitIn(work, 'rev-parse', 'HEAD');
}

export async function buildSampleRepository(options: SampleRepositoryOptions = {}): Promise<SampleRepository> {
  const repo = options.repo ?? 'acme/widgets';
  const number = options.number ?? 42;
  const branch = options.branch ?? 'reading-time';
  const dir = await mkdtemp(join(tmpdir(), 'review-demo-repo-'));
  try {
    const work = join(dir, 'work');
    const served = join(dir, 'served');
    const bare = join(served, `${repo}.git`);
    await mkdir(dirname(bare), { recursive: true });
    await cp(SAMPLE_PROJECT, work, {
      recursive: true,
      filter: (source) => !source.split(/[\\/]/).includes('node_modules') && !SAMPLE_CHANGE_FILES.some((f) => source.endsWith(join('sample-change', f))),
    });
    await gitIn(work, 'init', '-q', '-b', 'main');
    const base = await commitAll(work, 'Start the widgets project: slugify, lint, type check, tests and audit scripts');
    await gitIn(work, 'checkout', '-q', '-b', branch);
    const files = [...SAMPLE_CHANGE_FILES, ...Object.keys(options.change ?? {})];
    for (const file of SAMPLE_CHANGE_FILES) await cp(join(SAMPLE_PROJECT, file), join(work, file));
    for (const [file, content] of Object.entries(options.change ?? {})) {
      await mkdir(dirname(join(work, file)), { recursive: true });
      await writeFile(join(work, file), content);
    }
    const head = await commitAll(work, 'Add a reading-time estimate', options.author ?? { name: 'Octo Cat', email: 'octocat@example.com' });
    await gitIn(work, 'checkout', '-q', 'main');
    await gitIn(dir, 'clone', '-q', '--bare', '--no-local', work, bare);
    await gitIn(bare, 'fetch', '-q', work, `+refs/heads/${branch}:refs/heads/${branch}`);
    await gitIn(bare, 'update-ref', `refs/pull/${number}/head`, head);
    return {
      dir,
      work,
      served,
      bare,
      urlPath: `/${repo}.git`,
      repo,
      number,
      branch,
      base,
      head,
      files,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
