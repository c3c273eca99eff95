/** The parts of GitHub `pull_request` and `pull_request_review` events a review needs, validated with zod. */
import { z } from 'zod';
import { describeZodError } from '../../workflows/message-schemas';

/** Actions that start a review of the pull request's head (drafts aside). */
export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'] as const;
/** Actions that cancel the pull request's open reviews. */
export const CANCELLING_ACTIONS = ['closed', 'converted_to_draft'] as const;

/** The REST API base put in review inputs when none is configured. */
export const DEFAULT_API_URL = 'https://api.github.com';

const Login = z.object({ login: z.string().min(1).max(100) });
/** GitHub owner and repository names: letters, digits, `-`, `_` and `.` only. */
const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const FullName = z.string().regex(FULL_NAME, { message: 'expected owner/name (letters, digits, -, _ and .)' });
/** A commit id: SHA-1 (40 hex digits) or SHA-256 (64). */
const Sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, { message: 'expected a 40-character commit SHA' });

const RepoRef = z.object({ full_name: FullName, clone_url: z.string().url() });

const PullRequestSchema = z.object({
  number: z.number().int().positive(),
  state: z.string().optional(),
  title: z.string().max(1024),
  url: z.string().url(),
  html_url: z.string().url(),
  user: Login,
  draft: z.boolean().optional(),
  merged: z.boolean().nullable().optional(),
  /** When the pull request last changed: for a push, the time of the push. */
  updated_at: z.string().optional(),
  head: z.object({
    sha: Sha,
    ref: z.string().min(1),
    // null when the head repository (a fork) was deleted
    repo: RepoRef.nullable().optional(),
  }),
  base: z.object({ ref: z.string().min(1), sha: Sha.optional(), repo: RepoRef.optional() }),
});

const RepositorySchema = z.object({
  full_name: FullName,
  name: z.string().min(1),
  owner: Login,
  clone_url: z.string().url(),
});

export const PullRequestEventSchema = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  /** synchronize only: the head before and after the push. */
  before: Sha.optional(),
  after: Sha.optional(),
  pull_request: PullRequestSchema,
  repository: RepositorySchema,
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

export const PullRequestReviewEventSchema = z.object({
  action: z.string().min(1),
  review: z.object({
    id: z.number().int().optional(),
    user: Login,
    state: z.string().min(1).max(50),
    body: z.string().nullable().optional(),
    commit_id: z.string().optional(),
    html_url: z.string().url().optional(),
  }),
  pull_request: PullRequestSchema,
  repository: RepositorySchema,
});
export type PullRequestReviewEvent = z.infer<typeof PullRequestReviewEventSchema>;

/** What the review of one pull request head is started with. */
export interface PullRequestInfo {
  owner: string;
  /** The repository's name, without the owner. */
  repo: string;
  /** owner/name */
  fullName: string;
  number: number;
  /** GitHub's state of the pull request: open or closed. */
  state: string;
  draft: boolean;
  merged: boolean;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha?: string;
  title: string;
  author: string;
  /** Where the head commit can be fetched: the head repository's clone URL, or the base's when the fork is gone. */
  cloneUrl: string;
  /** The head lives in another repository than the base (a fork), or its repository was deleted. */
  fork: boolean;
  htmlUrl: string;
  /** The REST API base (configured; default https://api.github.com). */
  apiUrl: string;
  /** The pull request's own API URL, as GitHub gave it. */
  prApiUrl: string;
  /** When the pull request last changed, as the event says (ISO 8601), when it says. */
  updatedAt?: string;
}

export type Parsed<T> = { ok: true; event: T } | { ok: false; reason: string };

export function parsePullRequestEvent(data: unknown): Parsed<PullRequestEvent> {
  const parsed = PullRequestEventSchema.safeParse(data);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, reason: describeZodError(parsed.error) };
}

export function parsePullRequestReviewEvent(data: unknown): Parsed<PullRequestReviewEvent> {
  const parsed = PullRequestReviewEventSchema.safeParse(data);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, reason: describeZodError(parsed.error) };
}

export interface PullRequestInfoOptions {
  /** REST API base (default https://api.github.com). */
  apiUrl?: string;
}

export function pullRequestInfo(event: Pick<PullRequestEvent, 'pull_request' | 'repository'>, options: PullRequestInfoOptions = {}): PullRequestInfo {
  const pr = event.pull_request;
  const baseRepo = pr.base.repo?.full_name ?? event.repository.full_name;
  const headRepo = pr.head.repo ?? null;
  return {
    owner: event.repository.owner.login,
    repo: event.repository.name,
    fullName: event.repository.full_name,
    number: pr.number,
    state: pr.state ?? 'open',
    draft: pr.draft === true,
    merged: pr.merged === true,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    ...(pr.base.sha !== undefined ? { baseSha: pr.base.sha } : {}),
    title: pr.title,
    author: pr.user.login,
    cloneUrl: headRepo?.clone_url ?? event.repository.clone_url,
    fork: headRepo === null || headRepo.full_name.toLowerCase() !== baseRepo.toLowerCase(),
    htmlUrl: pr.html_url,
    apiUrl: (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    prApiUrl: pr.url,
    ...(pr.updated_at !== undefined && Number.isFinite(Date.parse(pr.updated_at)) ? { updatedAt: pr.updated_at } : {}),
  };
}

/** `owner/name#42`: the pull request, as the review's subject. */
export function pullRequestKey(pr: Pick<PullRequestInfo, 'fullName' | 'number'>): string {
  return `${pr.fullName}#${pr.number}`;
}

/** The prefix every review id of this pull request starts with: `pr:owner/name#42@`. */
export function reviewIdPrefix(pr: Pick<PullRequestInfo, 'fullName' | 'number'>): string {
  return `pr:${pullRequestKey(pr)}@`;
}

/**
 * One review per pull request head: `pr:owner/name#42@<sha>`. GitHub names never contain `:`, `/`, `#`
 * or `@`, so no two pull requests share an id (`a-b/c` and `a/b-c` stay apart); a new push is a new
 * review, a redelivery is the same one.
 */
export function reviewIdFor(pr: Pick<PullRequestInfo, 'fullName' | 'number' | 'headSha'>): string {
  return `${reviewIdPrefix(pr)}${pr.headSha}`;
}

/** The review input, in the shape the built-in `pr-review` pipeline reads. It never carries a token. */
/**
 * Every input the webhook may give a review: reviewInputFor's fields (baseSha when GitHub sent it) and
 * detailsUrl (with REVIEW_UI_BASE_URL or REVIEW_WEB_UI_URL). A pipeline the webhook starts must not require any other, and must
 * declare these when it declares inputs (pr-review does).
 */
export const WEBHOOK_INPUTS = [
  'repo',
  'owner',
  'name',
  'number',
  'sha',
  'headSha',
  'headRef',
  'baseRef',
  'baseSha',
  'fork',
  'cloneUrl',
  'apiUrl',
  'title',
  'author',
  'url',
  'mergeUrl',
  'detailsUrl',
] as const;

export function reviewInputFor(pr: PullRequestInfo): Record<string, unknown> {
  return {
    repo: pr.fullName,
    owner: pr.owner,
    name: pr.repo,
    number: pr.number,
    sha: pr.headSha,
    headSha: pr.headSha,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    ...(pr.baseSha !== undefined ? { baseSha: pr.baseSha } : {}),
    fork: pr.fork,
    cloneUrl: pr.cloneUrl,
    apiUrl: pr.apiUrl,
    title: pr.title,
    author: pr.author,
    url: pr.htmlUrl,
    mergeUrl: `${pr.apiUrl}/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}/merge`,
  };
}
