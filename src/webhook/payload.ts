/** The parts of a GitHub `pull_request` event a review needs, validated with zod. */
import { z } from 'zod';
import { describeZodError } from '../../workflows/message-schemas';

export const REVIEWED_ACTIONS = ['opened', 'synchronize', 'reopened'] as const;

const Login = z.object({ login: z.string().min(1).max(100) });

export const PullRequestEventSchema = z.object({
  action: z.string().min(1),
  number: z.number().int().positive(),
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().max(1024),
    url: z.string().url(),
    html_url: z.string().url(),
    user: Login,
    draft: z.boolean().optional(),
    head: z.object({
      sha: z.string().regex(/^[0-9a-f]{40}$/, { message: 'expected a 40-character commit SHA' }),
      ref: z.string().min(1),
      repo: z.object({ clone_url: z.string().url() }).nullable().optional(),
    }),
    base: z.object({ ref: z.string().min(1) }),
  }),
  repository: z.object({
    full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'expected owner/name' }),
    name: z.string().min(1),
    owner: Login,
    clone_url: z.string().url(),
  }),
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

/** What the review of one pull request head is started with. */
export interface PullRequestInfo {
  owner: string;
  repo: string;
  fullName: string;
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  title: string;
  author: string;
  cloneUrl: string;
  htmlUrl: string;
  apiUrl: string;
}

export type ParsedEvent = { ok: true; event: PullRequestEvent } | { ok: false; reason: string };

export function parsePullRequestEvent(data: unknown): ParsedEvent {
  const parsed = PullRequestEventSchema.safeParse(data);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, reason: describeZodError(parsed.error) };
}

export function pullRequestInfo(event: PullRequestEvent): PullRequestInfo {
  const pr = event.pull_request;
  return {
    owner: event.repository.owner.login,
    repo: event.repository.name,
    fullName: event.repository.full_name,
    number: pr.number,
    headSha: pr.head.sha,
    headRef: pr.head.ref,
    baseRef: pr.base.ref,
    title: pr.title,
    author: pr.user.login,
    cloneUrl: pr.head.repo?.clone_url ?? event.repository.clone_url,
    htmlUrl: pr.html_url,
    apiUrl: pr.url,
  };
}

/** One review per pull request head: a new push is a new review, a redelivery is the same one. */
export function reviewIdFor(pr: PullRequestInfo): string {
  return `pr-${pr.owner}-${pr.repo}-${pr.number}-${pr.headSha}`;
}

/** The review input, in the shape the built-in `pr-review` pipeline reads. */
export function reviewInputFor(pr: PullRequestInfo): Record<string, unknown> {
  return {
    repo: pr.fullName,
    number: pr.number,
    headSha: pr.headSha,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    title: pr.title,
    author: pr.author,
    cloneUrl: pr.cloneUrl,
    url: pr.htmlUrl,
    mergeUrl: `${pr.apiUrl}/merge`,
  };
}
