/** action: status and action: merge against the strict stand-in. */
import { codePointLength } from '../../../activities/executors/github/text';
import { failure, githubFixture, HEAD, OTHER, REPO, type GitHubFixture } from './fixtures';

let gh: GitHubFixture;
beforeAll(async () => {
  gh = await githubFixture();
});
afterAll(() => gh.close());

describe('github executor: status', () => {
  test('posts a commit status with a token', async () => {
    const { response } = await gh.run({
      action: 'status',
      token: gh.standIn.token,
      sha: HEAD,
      state: 'pending',
      context: 'review/pr',
      description: 'Review running',
      target_url: 'https://reviews.example.com/r/1',
    });
    expect(response?.output).toMatchObject({ action: 'status', state: 'pending', context: 'review/pr', description: 'Review running' });
    expect(response?.summary).toBe('status review/pr: pending');
    expect(gh.standIn.statuses().at(-1)).toMatchObject({ repository: REPO, sha: HEAD, state: 'pending', target_url: 'https://reviews.example.com/r/1' });
  });

  test('a description of 200 emoji is cut to 140 code points without splitting a surrogate pair, and GitHub accepts it', async () => {
    const { response, error } = await gh.run({ action: 'status', token: gh.standIn.token, sha: HEAD, state: 'success', description: '👍'.repeat(200) });
    expect(error).toBeUndefined();
    const sent = gh.standIn.statuses().at(-1)?.description ?? '';
    expect(codePointLength(sent)).toBe(140);
    expect(sent).toBe(`${'👍'.repeat(139)}…`);
    expect(sent).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect((response?.output as { description: string }).description).toBe(sent);
    // Exactly 140 is left alone.
    await gh.run({ action: 'status', token: gh.standIn.token, sha: HEAD, state: 'success', description: 'é'.repeat(140) });
    expect(gh.standIn.statuses().at(-1)?.description).toBe('é'.repeat(140));
  });

  test('statuses work with App auth too', async () => {
    const { response } = await gh.run({ action: 'status', app: gh.app(), sha: HEAD, state: 'failure' });
    expect(response?.output).toMatchObject({ state: 'failure', context: 'default' });
  });
});

describe('github executor: merge', () => {
  test('merges at the approved sha', async () => {
    gh.standIn.addPullRequest(REPO, 11, { headSha: HEAD });
    const { response } = await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: 11, sha: HEAD, merge_method: 'squash', commit_title: 'Add feature (#11)' });
    expect(response?.output).toMatchObject({ action: 'merge', merged: true, alreadyMerged: false, message: 'Pull Request successfully merged' });
    expect(gh.standIn.merges().at(-1)).toMatchObject({ number: 11, sha: HEAD, mergeMethod: 'squash' });
    expect((response?.output as { sha: string }).sha).toBe(gh.standIn.merges().at(-1)?.mergeCommitSha);
  });

  test('409: the head moved since the review; refused non-retryably, saying from which sha to which', async () => {
    gh.standIn.addPullRequest(REPO, 12, { headSha: HEAD });
    gh.standIn.pushToPullRequest(REPO, 12, OTHER);
    const err = failure(await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: '12', sha: HEAD }));
    expect(err).toMatchObject({ type: 'GitHubMergeHeadMoved', nonRetryable: true });
    expect(err.message).toContain(`the pull request head moved from ${HEAD} to ${OTHER}; the review approved ${HEAD} only`);
    expect(err.message).toContain('409: Head branch was modified');
    expect(gh.standIn.pullRequest(REPO, 12)?.merged).toBe(false);
  });

  test('405: not mergeable is refused non-retryably with the reason', async () => {
    gh.standIn.addPullRequest(REPO, 13, { headSha: HEAD, mergeable: false });
    const err = failure(await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: 13, sha: HEAD }));
    expect(err).toMatchObject({ type: 'GitHubNotMergeable', nonRetryable: true });
    expect(err.message).toContain('405: Pull Request is not mergeable');
    expect(err.message).toContain('mergeable_state: dirty');
  });

  test('a retry after a merge whose answer was lost reports the merge instead of failing', async () => {
    gh.standIn.addPullRequest(REPO, 14, { headSha: HEAD });
    gh.standIn.failNext({ method: 'PUT', path: /\/pulls\/14\/merge$/, afterHandling: true, status: 502 });
    expect(failure(await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: 14, sha: HEAD }))).toMatchObject({ nonRetryable: false });
    const { response } = await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: 14, sha: HEAD }, { attempt: 2 });
    expect(response?.output).toMatchObject({ merged: true, alreadyMerged: true, sha: gh.standIn.pullRequest(REPO, 14)?.mergeCommitSha });
    expect(gh.standIn.merges().filter((m) => m.number === 14)).toHaveLength(1);
  });

  test('an unknown pull request is a non-retryable 404 with GitHub\'s message', async () => {
    const err = failure(await gh.run({ action: 'merge', token: gh.standIn.token, pull_number: 404, sha: HEAD }));
    expect(err).toMatchObject({ type: 'GitHub404', nonRetryable: true });
    expect(err.message).toBe(`GitHub answered 404 to PUT /repos/${REPO}/pulls/404/merge: Not Found`);
  });
});
