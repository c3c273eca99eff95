/**
 * The `github` executor: reports a review to GitHub from its own steps — check runs with
 * annotations, commit statuses — and merges the pull request at the approved head.
 */
import { defineExecutor } from '../../executor';
import { checkRun } from './check-run';
import { GitHubClient } from './client';
import { mergePullRequest } from './merge';
import { GitHubInput, GitHubOutput, type GitHubOutputType } from './schema';
import { commitStatus } from './status';

export { clearInstallationTokens } from './app-auth';

export const githubExecutor = defineExecutor({
  type: 'github',
  description:
    'Reports to GitHub: a check run with annotations from findings (action: check-run, needs a GitHub App), a commit status (action: status), or merges a pull request at the approved sha (action: merge)',
  input: GitHubInput,
  output: GitHubOutput,
  async run(input, ctx): Promise<GitHubOutputType> {
    const client = new GitHubClient({
      apiUrl: input.apiUrl,
      token: input.token,
      app: input.app,
      timeoutMs: input.timeout,
      maxWaitMs: input.maxWait,
      userAgent: input.userAgent,
      ctx,
    });
    switch (input.action) {
      case 'check-run':
        return checkRun(input, client, ctx);
      case 'status':
        return commitStatus(input, client, ctx);
      case 'merge':
        return mergePullRequest(input, client, ctx);
    }
  },
  summarize(output) {
    switch (output.action) {
      case 'check-run':
        return `check run ${output.checkRunId} ${output.status}${output.conclusion ? ` (${output.conclusion})` : ''}, ${output.annotations} annotations`;
      case 'status':
        return `status ${output.context}: ${output.state}`;
      case 'merge':
        return output.alreadyMerged ? `merged already (${output.sha.slice(0, 7)})` : `merged (${output.sha.slice(0, 7)})`;
    }
  },
});
