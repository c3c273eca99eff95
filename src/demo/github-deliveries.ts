/**
 * GitHub webhook deliveries for the demo and the end-to-end tests: documents in the shape GitHub sends
 * (`pull_request` and `pull_request_review`, trimmed from GitHub's own sample payloads), pointed at a
 * pull request of one's own (a local repository served on loopback), and delivered signed as GitHub
 * signs them.
 */
import { randomUUID } from 'node:crypto';
import { signBody } from '../webhook/signature';

type Doc = Record<string, unknown>;

/** The pull request a delivery is about. */
export interface DeliveryTarget {
  /** owner/name of the repository (base and head: not a fork). */
  repo: string;
  number: number;
  title: string;
  /** Login of the pull request's author. */
  author: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  /** Where the repository is fetched from: the loopback git URL. */
  cloneUrl: string;
  /** Base of html_url links (default https://github.com). */
  htmlBase?: string;
  /** Base of API links (default https://api.github.com). */
  apiUrl?: string;
}

const user = (login: string, id = 21031067): Doc => ({ login, id, node_id: 'MDQ6VXNlcjIxMDMxMDY3', type: 'User', site_admin: false });

const repository = (): Doc => ({
  id: 186853002,
  node_id: 'MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=',
  name: 'Hello-World',
  full_name: 'Codertocat/Hello-World',
  private: false,
  owner: user('Codertocat'),
  html_url: 'https://github.com/Codertocat/Hello-World',
  description: null,
  fork: false,
  url: 'https://api.github.com/repos/Codertocat/Hello-World',
  clone_url: 'https://github.com/Codertocat/Hello-World.git',
  git_url: 'git://github.com/Codertocat/Hello-World.git',
  ssh_url: 'git@github.com:Codertocat/Hello-World.git',
  default_branch: 'master',
});

const pullRequest = (): Doc => ({
  url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2',
  id: 279147437,
  node_id: 'MDExOlB1bGxSZXF1ZXN0Mjc5MTQ3NDM3',
  html_url: 'https://github.com/Codertocat/Hello-World/pull/2',
  diff_url: 'https://github.com/Codertocat/Hello-World/pull/2.diff',
  number: 2,
  state: 'open',
  locked: false,
  title: 'Update the README with new information.',
  user: user('Codertocat'),
  body: 'This is a pretty simple change that we need to pull into master.',
  created_at: '2019-05-15T15:20:33Z',
  updated_at: '2019-05-15T15:20:33Z',
  closed_at: null,
  merged_at: null,
  merge_commit_sha: null,
  draft: false,
  statuses_url: 'https://api.github.com/repos/Codertocat/Hello-World/statuses/ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  head: { label: 'Codertocat:changes', ref: 'changes', sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', user: user('Codertocat'), repo: repository() },
  base: { label: 'Codertocat:master', ref: 'master', sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', user: user('Codertocat'), repo: repository() },
  author_association: 'OWNER',
  merged: false,
  mergeable: null,
  mergeable_state: 'unknown',
  commits: 1,
  additions: 1,
  deletions: 1,
  changed_files: 1,
});

/** GitHub's sample `pull_request` `opened` delivery (octokit/webhooks), trimmed to its essential fields. */
export function pullRequestOpenedSample(): Doc {
  return { action: 'opened', number: 2, pull_request: pullRequest(), repository: repository(), sender: user('Codertocat') };
}

/** GitHub's sample `pull_request_review` `submitted` delivery, trimmed likewise. */
export function pullRequestReviewSubmittedSample(): Doc {
  return {
    action: 'submitted',
    review: {
      id: 237895671,
      node_id: 'MDE3OlB1bGxSZXF1ZXN0UmV2aWV3MjM3ODk1Njcx',
      user: user('Codertocat'),
      body: null,
      commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      submitted_at: '2019-05-15T15:20:38Z',
      state: 'commented',
      html_url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671',
      pull_request_url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2',
      author_association: 'OWNER',
    },
    pull_request: pullRequest(),
    repository: repository(),
    sender: user('Codertocat'),
  };
}

function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string in `value` with `from` replaced by `to` (URLs naming the sample repository). */
function replaceStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, from, to));
  if (isDoc(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, from, to)]));
  return value;
}

function pointRepository(repo: unknown, target: DeliveryTarget, htmlBase: string, apiUrl: string): void {
  if (!isDoc(repo)) return;
  const [owner = '', name = ''] = target.repo.split('/');
  repo.name = name;
  repo.full_name = target.repo;
  repo.fork = false;
  if (isDoc(repo.owner)) repo.owner.login = owner;
  repo.html_url = `${htmlBase}/${target.repo}`;
  repo.url = `${apiUrl}/repos/${target.repo}`;
  repo.clone_url = target.cloneUrl;
}

/**
 * A copy of a `pull_request` or `pull_request_review` delivery (GitHub's sample, or a real one) about
 * `target` instead: the repository, the pull request's number, title, author, head and base, its links,
 * and for a review, the commit it was submitted on. Head and base are the same repository.
 */
export function pointAt(document: Doc, target: DeliveryTarget): Doc {
  const htmlBase = (target.htmlBase ?? 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (target.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const sampleRepo = isDoc(document.repository) && typeof document.repository.full_name === 'string' ? document.repository.full_name : undefined;
  const doc = (sampleRepo ? replaceStrings(document, sampleRepo, target.repo) : structuredClone(document)) as Doc;
  const [owner = ''] = target.repo.split('/');
  pointRepository(doc.repository, target, htmlBase, apiUrl);
  if (typeof doc.number === 'number') doc.number = target.number;
  const pr = doc.pull_request;
  if (isDoc(pr)) {
    pr.number = target.number;
    pr.title = target.title;
    pr.state = 'open';
    pr.draft = false;
    pr.url = `${apiUrl}/repos/${target.repo}/pulls/${target.number}`;
    pr.html_url = `${htmlBase}/${target.repo}/pull/${target.number}`;
    pr.statuses_url = `${apiUrl}/repos/${target.repo}/statuses/${target.headSha}`;
    if (isDoc(pr.user)) pr.user.login = target.author;
    for (const [side, ref, sha] of [
      ['head', target.headRef, target.headSha],
      ['base', target.baseRef, target.baseSha],
    ] as const) {
      const end = pr[side];
      if (!isDoc(end)) continue;
      end.ref = ref;
      end.sha = sha;
      end.label = `${owner}:${ref}`;
      if (isDoc(end.user)) end.user.login = owner;
      if (!isDoc(end.repo)) end.repo = structuredClone(doc.repository);
      pointRepository(end.repo, target, htmlBase, apiUrl);
    }
  }
  const review = doc.review;
  if (isDoc(review)) {
    review.commit_id = target.headSha;
    review.pull_request_url = `${apiUrl}/repos/${target.repo}/pulls/${target.number}`;
    if (typeof review.html_url === 'string') review.html_url = `${htmlBase}/${target.repo}/pull/${target.number}#pullrequestreview-${String(review.id ?? 1)}`;
  }
  return doc;
}

/** A `pull_request_review` delivery submitted by `login` with `state` (approved, changes_requested, commented). */
export function reviewedBy(document: Doc, login: string, state: string, body: string | null = null): Doc {
  const doc = structuredClone(document);
  if (isDoc(doc.review)) {
    doc.review.state = state;
    doc.review.body = body;
    if (isDoc(doc.review.user)) doc.review.user.login = login;
    else doc.review.user = user(login);
  }
  if (isDoc(doc.sender)) doc.sender.login = login;
  return doc;
}

export interface Delivered {
  status: number;
  json: Record<string, unknown>;
  ms: number;
}

export type Encoding = 'json' | 'form';

/** The body GitHub sends for `document`: JSON, or `payload=<urlencoded JSON>` for form-encoded webhooks. */
export function encodeBody(document: unknown, encoding: Encoding = 'json'): Buffer {
  const json = typeof document === 'string' ? document : JSON.stringify(document);
  return Buffer.from(encoding === 'form' ? new URLSearchParams({ payload: json }).toString() : json);
}

/** Delivers a body to `<url>/webhook` signed with `secret` as GitHub does; a fixed `delivery` id makes it a redelivery. */
export async function deliver(
  url: string,
  secret: string,
  event: string,
  document: unknown,
  options: { encoding?: Encoding; delivery?: string; headers?: Record<string, string> } = {},
): Promise<Delivered> {
  const encoding = options.encoding ?? 'json';
  const body = encodeBody(document, encoding);
  const started = Date.now();
  const response = await fetch(`${url}/webhook`, {
    method: 'POST',
    body,
    headers: {
      'content-type': encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-hub-signature-256': signBody(secret, body),
      ...options.headers,
    },
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown>, ms: Date.now() - started };
}
