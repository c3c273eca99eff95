import type { ApplicationFailure } from '@temporalio/common';
import { clearInstallationTokens } from '../../../activities/executors/github';
import { startGitHubStandIn, type GitHubStandIn, type GitHubStandInOptions } from '../../../src/demo/github-api-stand-in';
import { makeActivities, memoryLogger, runActivity, stepRequest, type RunOptions, type RunResult } from '../helpers';

export const REPO = 'octo-org/hello-world';
export const HEAD = 'a'.repeat(40);
export const OTHER = 'b'.repeat(40);

export interface GitHubFixture {
  standIn: GitHubStandIn;
  log: ReturnType<typeof memoryLogger>;
  /** Runs the `github` step with `with` = the common fields + `input`. */
  run(input: Record<string, unknown>, options?: RunOptions & { stepId?: string; reviewId?: string }): Promise<RunResult>;
  /** The App credentials of the stand-in, as `with.app`. */
  app(): { appId: number; privateKey: string; installationId: number };
  close(): Promise<void>;
}

export async function githubFixture(options: GitHubStandInOptions = {}): Promise<GitHubFixture> {
  clearInstallationTokens();
  const standIn = await startGitHubStandIn(options);
  const log = memoryLogger();
  const activities = makeActivities([], { logger: log.logger });
  return {
    standIn,
    log,
    app: () => standIn.app,
    run: (input, runOptions = {}) =>
      runActivity(
        activities,
        stepRequest(
          'github',
          { repository: REPO, apiUrl: standIn.apiUrl, ...input },
          {
            stepId: runOptions.stepId ?? 'report-to-github',
            review: { id: runOptions.reviewId ?? 'review-1', pipeline: 'pr-review', priority: 'normal' },
          },
        ),
        runOptions,
      ),
    close: () => standIn.close(),
  };
}

export function failure(result: RunResult): ApplicationFailure {
  if (!result.error) throw new Error(`expected the step to fail, it returned ${JSON.stringify(result.response)}`);
  return result.error as ApplicationFailure;
}

/** `n` findings as a markdown check reports them, in `docs/guide.md`. */
export function findings(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => ({
    path: 'docs/guide.md',
    line: i + 1,
    rule: `rule-${i % 3}`,
    message: `problem number ${i + 1}`,
    severity: (['error', 'warning', 'info'] as const)[i % 3],
  }));
}
