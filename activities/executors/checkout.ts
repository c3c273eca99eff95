/**
 * `checkout`: a repository at an exact commit in a workspace of this worker, for the steps that
 * declare `workspace: <this step>` (they are routed to this worker's own task queue, returned as
 * `queue`). Objects are fetched shallowly into a bare cache per repository under the workspace root
 * and shared with every workspace through git's alternates, so a second review of the same
 * repository fetches only what is new. Credentials reach git only through its environment.
 */
import { access, copyFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { CheckoutOutputSchema, type CheckoutOutput } from '../../src/definition/executor-outputs';
import { defineExecutor, StepError, type ExecutorContext } from '../executor';
import { git, GitError, scrubSecrets } from '../lib/git';
import { withDirLock } from '../lib/dir-lock';
import { hashedName, type WorkspaceHost } from '../workspace-host';

const SHA = /^[0-9a-fA-F]{40}$/;

export const CheckoutInputSchema = z
  .object({
    repository: z
      .string()
      .min(1)
      .refine((r) => !r.startsWith('-'), 'a repository may not start with -')
      .refine((r) => /^(https?|ssh|git|file):\/\//.test(r) || isAbsolute(r) || /^[\w.-]+@[\w.-]+:/.test(r), 'expected an http(s), ssh, git or file URL, user@host:path, or an absolute path')
      .describe('Repository URL or absolute local path'),
    sha: z.string().regex(SHA, 'expected a full 40-character commit SHA').transform((s) => s.toLowerCase()).describe('The exact commit to check out'),
    ref: z
      .string()
      .regex(/^refs\/[A-Za-z0-9._/-]+$/, 'expected a ref such as refs/pull/42/head')
      .refine((r) => !r.includes('..'), 'a ref may not contain ..')
      .optional()
      .describe('Fetched when the commit cannot be fetched by its SHA, e.g. refs/pull/42/head'),
    token: z.string().optional().describe('Credentials for http(s) remotes (e.g. ${{ secrets.GITHUB_TOKEN }}); sent as an HTTP header, never logged'),
    depth: z.coerce.number().int().min(0).max(1_000_000).optional().describe('Commits of history to fetch (default 1; 0 = all)'),
  })
  .strict();
export type CheckoutInput = z.output<typeof CheckoutInputSchema>;

export { CheckoutOutputSchema, type CheckoutOutput };

/** The repository as shown in messages and the workspace's remote: no credentials in it. */
function displayUrl(repository: string): string {
  return repository.replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

interface Fetcher {
  mirror: string;
  url: string;
  depth: number;
  authorization?: string;
  secrets: string[];
  signal: AbortSignal;
}

async function hasCommit(f: Fetcher, sha: string): Promise<boolean> {
  return git(['-C', f.mirror, 'cat-file', '-e', `${sha}^{commit}`], { signal: f.signal }).then(
    () => true,
    (err: unknown) => {
      if (err instanceof GitError) return false;
      throw err;
    },
  );
}

async function fetchInto(f: Fetcher, refspec: string, depth: number): Promise<void> {
  const shallow = await exists(join(f.mirror, 'shallow'));
  const how = depth > 0 ? [`--depth=${depth}`] : shallow ? ['--unshallow'] : [];
  await git(['-C', f.mirror, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', ...how, '--', f.url, refspec], {
    authorization: f.authorization,
    secrets: f.secrets,
    signal: f.signal,
  });
}

/** Brings `sha` into the cache: already there, by SHA, or through `ref` (deepened to all history if need be). */
async function fetchCommit(f: Fetcher, input: CheckoutInput, ctx: ExecutorContext): Promise<CheckoutOutput['fetched']> {
  const keep = `refs/review/commits/${input.sha}`;
  if (f.depth === 1 && (await hasCommit(f, input.sha))) return 'cache';
  ctx.heartbeat({ phase: 'fetch', by: 'sha' });
  let bySha: string | undefined;
  try {
    await fetchInto(f, `+${input.sha}:${keep}`, f.depth);
    if (await hasCommit(f, input.sha)) return 'sha';
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    bySha = err.message;
  }
  const repo = scrubSecrets(displayUrl(input.repository), f.secrets);
  if (!input.ref) {
    throw StepError.retryable(
      `commit ${input.sha} could not be fetched from ${repo}${bySha ? `: ${bySha}` : ''}; if it is reachable only through a ref (a pull request whose fork is gone), pass ref: refs/pull/<number>/head`,
      'CheckoutFetchFailed',
    );
  }
  ctx.heartbeat({ phase: 'fetch', by: 'ref', ref: input.ref });
  const viaRef = `refs/review/refs/${hashedName(input.ref, 30)}`;
  await fetchInto(f, `+${input.ref}:${viaRef}`, f.depth).catch((err: unknown) => {
    if (!(err instanceof GitError)) throw err;
    throw StepError.retryable(`neither commit ${input.sha} nor ${input.ref} could be fetched from ${repo}: ${err.message}`, 'CheckoutFetchFailed');
  });
  if (!(await hasCommit(f, input.sha)) && f.depth > 0) {
    ctx.heartbeat({ phase: 'fetch', by: 'ref', ref: input.ref, depth: 'all' });
    await fetchInto(f, `+${input.ref}:${viaRef}`, 0).catch(() => undefined);
  }
  if (!(await hasCommit(f, input.sha))) {
    throw StepError.nonRetryable(`commit ${input.sha} is not reachable from ${input.ref} of ${repo} (was it force-pushed?)`, 'CommitNotFound');
  }
  await git(['-C', f.mirror, 'update-ref', keep, input.sha], { signal: f.signal });
  return 'ref';
}

/** A working tree at `sha` in `path`, borrowing the cache's objects (alternates) and its shallow boundary. */
async function materialize(mirror: string, path: string, input: CheckoutInput, signal: AbortSignal): Promise<void> {
  await git(['init', '--quiet', path], { signal });
  await writeFile(join(path, '.git', 'objects', 'info', 'alternates'), `${join(mirror, 'objects')}\n`);
  if (await exists(join(mirror, 'shallow'))) await copyFile(join(mirror, 'shallow'), join(path, '.git', 'shallow'));
  await git(['-C', path, 'config', 'remote.origin.url', displayUrl(input.repository)], { signal });
  await git(['-C', path, 'checkout', '--quiet', '--detach', input.sha], { signal });
}

export function hostOf(ctx: ExecutorContext): WorkspaceHost {
  if (!ctx.workspace) {
    throw StepError.nonRetryable(
      'checkout needs a worker with a workspace root: run it on a review worker (npm run worker), or pass createActivities(registry, { workspaces }) a WorkspaceHost',
      'NoWorkspaceRoot',
    );
  }
  return ctx.workspace;
}

export const checkoutExecutor = defineExecutor({
  type: 'checkout',
  description: 'Checks out a repository at an exact commit into a workspace of this worker; steps with workspace: <this step> run beside it',
  input: CheckoutInputSchema,
  output: CheckoutOutputSchema,
  async run(input, ctx): Promise<CheckoutOutput> {
    const host = hostOf(ctx);
    const secrets = input.token ? [input.token] : [];
    const authorization = input.token ? `Basic ${Buffer.from(`x-access-token:${input.token}`).toString('base64')}` : undefined;
    const url = isAbsolute(input.repository) ? resolve(input.repository) : input.repository;
    const mirror = join(host.cacheDir, `${hashedName(displayUrl(url))}.git`);
    const fetcher: Fetcher = { mirror, url, depth: input.depth ?? 1, authorization, secrets: [...secrets, ...(authorization ? [authorization] : [])], signal: ctx.signal };
    try {
      ctx.heartbeat({ phase: 'cache' });
      const fetched = await withDirLock(
        mirror,
        async () => {
          if (!(await exists(join(mirror, 'HEAD')))) {
            await git(['init', '--quiet', '--bare', mirror], { signal: ctx.signal });
            await git(['-C', mirror, 'config', 'gc.auto', '0'], { signal: ctx.signal });
          }
          return fetchCommit(fetcher, input, ctx);
        },
        { signal: ctx.signal },
      );
      ctx.heartbeat({ phase: 'checkout' });
      const { workspace, path } = await host.allocate(ctx.review.id, ctx.stepId);
      try {
        await materialize(mirror, path, input, ctx.signal);
        const head = (await git(['-C', path, 'rev-parse', 'HEAD'], { signal: ctx.signal })).trim();
        if (head !== input.sha) throw StepError.nonRetryable(`the checkout is at ${head}, not at ${input.sha}`, 'CheckoutMismatch');
      } catch (err) {
        await rm(path, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
      ctx.logger.info({ sha: input.sha, fetched, path, queue: host.queue }, 'checked out');
      return { path, sha: input.sha, queue: host.queue, workspace, fetched };
    } catch (err) {
      if (err instanceof StepError) throw err;
      if (err instanceof GitError) throw StepError.retryable(scrubSecrets(err.message, fetcher.secrets), 'CheckoutFailed');
      throw err;
    }
  },
  summarize: (output) => `${output.sha.slice(0, 12)} (${output.fetched === 'cache' ? 'from the cache' : `fetched by ${output.fetched}`})`,
});
