/** Reporting a review's outcome on the commit: `POST {base}/repos/{owner}/{repo}/statuses/{sha}`. */
import type { ReviewResult } from '../client/types';

export const STATUS_CONTEXT = 'review-orchestrator/pr-review';

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  state: CommitState;
  description: string;
  targetUrl?: string;
}

export interface CommitStatusTarget {
  owner: string;
  repo: string;
  sha: string;
}

export interface StatusApi {
  baseUrl: string;
  token?: string;
  context?: string;
  /** Attempts per status (default 3), with a doubling delay from `retryDelayMs` (default 500). */
  attempts?: number;
  retryDelayMs?: number;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function finalStatus(result: ReviewResult): CommitStatus {
  const steps = `${result.progress.done}/${result.progress.total} steps`;
  switch (result.outcome) {
    case 'completed':
      return { state: 'success', description: `review passed (${steps})` };
    case 'rejected':
      return { state: 'failure', description: truncate(`review rejected${result.lastError ? `: ${result.lastError}` : ''}`, 140) };
    case 'failed':
      return { state: 'failure', description: truncate(`review failed${result.lastError ? `: ${result.lastError}` : ''}`, 140) };
    default:
      return { state: 'error', description: `review ${result.outcome.replace('_', ' ')}` };
  }
}

export async function postCommitStatus(api: StatusApi, target: CommitStatusTarget, status: CommitStatus): Promise<void> {
  const url = `${api.baseUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/statuses/${target.sha}`;
  const body = JSON.stringify({
    state: status.state,
    description: truncate(status.description, 140),
    context: api.context ?? STATUS_CONTEXT,
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'content-type': 'application/json',
    'user-agent': 'review-orchestrator',
    ...(api.token ? { authorization: `Bearer ${api.token}` } : {}),
  };
  const attempts = api.attempts ?? 3;
  let delay = api.retryDelayMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    let failure: string;
    let retryable = true;
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      if (response.ok) return;
      failure = `the status API answered ${response.status} ${response.statusText}`;
      retryable = response.status >= 500 || response.status === 429;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (!retryable || attempt >= attempts) throw new Error(`could not post the commit status to ${url}: ${failure}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay *= 2;
  }
}
