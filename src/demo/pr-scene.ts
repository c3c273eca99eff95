/**
 * Everything around a pull request that a real review talks to, on loopback: a git repository with the
 * sample change on a feature branch, served by `git http-backend` (asking for the token, as a private
 * repository on GitHub does), the stand-in of GitHub's REST API knowing the pull request, and a
 * directory of approvers. The secrets a worker needs for it are returned, never put in review input.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubStandIn, type GitHubStandIn } from './github-api-stand-in';
import { startGitHttpServer, type GitHttpServer } from './git-http-server';
import type { DeliveryTarget } from './github-deliveries';
import { buildSampleRepository, type SampleRepository, type SampleRepositoryOptions } from './sample-repo';

export interface PullRequestSceneOptions extends SampleRepositoryOptions {
  /** Logins given the maintainer role by the directory (default [bob]). */
  maintainers?: string[];
  /** The pull request author's login (default octocat). */
  login?: string;
  title?: string;
  /** Branch protection on the stand-in: checks that must be green before the merge. */
  requiredChecks?: string[];
}

export interface PullRequestScene {
  repository: SampleRepository;
  git: GitHttpServer;
  github: GitHubStandIn;
  /** The loopback URL the repository is fetched from. */
  cloneUrl: string;
  /** The pull request, for deliveries (pointAt). */
  target: DeliveryTarget;
  /** A directory file (REVIEW_DIRECTORY_FILE) giving the maintainers their role. */
  directoryFile: string;
  /** What a worker needs: GITHUB_TOKEN, and the GitHub App's id, key and installation. */
  secrets: Record<string, string>;
  /** The same, as REVIEW_SECRET_<NAME> environment variables of a worker process. */
  secretEnv(): Record<string, string>;
  close(): Promise<void>;
}

export async function startPullRequestScene(options: PullRequestSceneOptions = {}): Promise<PullRequestScene> {
  const repository = await buildSampleRepository(options);
  const github = await startGitHubStandIn(options.requiredChecks ? { requiredChecks: options.requiredChecks } : {});
  const authorization = `Basic ${Buffer.from(`x-access-token:${github.token}`).toString('base64')}`;
  const git = await startGitHttpServer({ root: repository.served, authorization });
  const cloneUrl = `${git.url}${repository.urlPath}`;
  github.addPullRequest(repository.repo, repository.number, { headSha: repository.head });
  const etc = await mkdtemp(join(tmpdir(), 'review-demo-etc-'));
  const directoryFile = join(etc, 'approvers.yaml');
  await writeFile(directoryFile, `roles:\n  maintainer:\n    users: [${(options.maintainers ?? ['bob']).join(', ')}]\n`);
  const secrets = {
    GITHUB_TOKEN: github.token,
    GITHUB_APP_ID: String(github.app.appId),
    GITHUB_APP_PRIVATE_KEY: github.app.privateKey,
    GITHUB_APP_INSTALLATION_ID: String(github.app.installationId),
  };
  return {
    repository,
    git,
    github,
    cloneUrl,
    target: {
      repo: repository.repo,
      number: repository.number,
      title: options.title ?? 'Add a reading-time estimate',
      author: options.login ?? 'octocat',
      headRef: repository.branch,
      headSha: repository.head,
      baseRef: 'main',
      baseSha: repository.base,
      cloneUrl,
      apiUrl: github.apiUrl,
    },
    directoryFile,
    secrets,
    secretEnv: () => Object.fromEntries(Object.entries(secrets).map(([name, value]) => [`REVIEW_SECRET_${name}`, value])),
    async close() {
      await Promise.allSettled([git.close(), github.close()]);
      await Promise.allSettled([repository.remove(), rm(etc, { recursive: true, force: true })]);
    },
  };
}
