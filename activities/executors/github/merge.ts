/** action: merge — merges the pull request at the head the review approved, or says why GitHub would not. */
import { StepError, type ExecutorContext } from '../../executor';
import { apiMessage, type GitHubClient } from './client';
import type { MergeInputType } from './schema';

interface MergeResult {
  sha: string;
  merged: boolean;
  message: string;
}

interface PullRequest {
  state?: string;
  merged?: boolean;
  mergeable?: boolean | null;
  mergeable_state?: string;
  merge_commit_sha?: string | null;
  head?: { sha?: string };
}

export async function mergePullRequest(input: MergeInputType, client: GitHubClient, ctx: ExecutorContext) {
  const pull = `/repos/${input.repository}/pulls/${input.pull_number}`;
  const body: Record<string, unknown> = { sha: input.sha, merge_method: input.merge_method };
  if (input.commit_title !== undefined) body.commit_title = input.commit_title;
  if (input.commit_message !== undefined) body.commit_message = input.commit_message;
  ctx.heartbeat({ phase: 'github-merge', pull: input.pull_number });
  const answer = await client.request<MergeResult>('PUT', `${pull}/merge`, body, [405, 409]);
  if (answer.status < 400) {
    ctx.logger.info({ event: 'github.merged', pull: input.pull_number, sha: answer.data.sha }, `pull request #${input.pull_number} merged`);
    return { action: 'merge' as const, merged: answer.data.merged, sha: answer.data.sha, message: answer.data.message, alreadyMerged: false };
  }

  const said = apiMessage(answer.data);
  const { data: pr } = await client.request<PullRequest>('GET', pull);
  const head = pr.head?.sha;
  const approved = input.sha;
  if (pr.merged && head?.toLowerCase() === approved.toLowerCase() && pr.merge_commit_sha) {
    // An earlier attempt merged it and its answer was lost.
    ctx.logger.info({ event: 'github.merged', pull: input.pull_number, alreadyMerged: true }, `pull request #${input.pull_number} was merged already`);
    return { action: 'merge' as const, merged: true, sha: pr.merge_commit_sha, message: 'Pull Request was merged already', alreadyMerged: true };
  }
  if (head && head.toLowerCase() !== approved.toLowerCase()) {
    throw StepError.nonRetryable(
      `GitHub refused to merge pull request #${input.pull_number} (${answer.status}: ${said}): the pull request head moved from ${approved} to ${head}; the review approved ${approved} only, so the new commits need a review of their own`,
      'GitHubMergeHeadMoved',
      { status: answer.status, message: said, approvedSha: approved, headSha: head },
    );
  }
  const why = pr.merged
    ? 'it was merged already'
    : pr.state === 'closed'
      ? 'it is closed'
      : `it is not mergeable${pr.mergeable_state ? ` (mergeable_state: ${pr.mergeable_state})` : ''}: resolve conflicts, required checks or reviews, or the merge method the repository allows`;
  throw StepError.nonRetryable(
    `GitHub refused to merge pull request #${input.pull_number} at ${approved} (${answer.status}: ${said}): ${why}`,
    answer.status === 409 ? 'GitHubMergeConflict' : 'GitHubNotMergeable',
    { status: answer.status, message: said, mergeable: pr.mergeable ?? null, state: pr.state },
  );
}
