import { ApplicationFailure } from '@temporalio/workflow';
import { formatIssues } from '../../src/definition/issues';
import { validatePipeline } from '../../src/definition/validate';
import { ReviewRun } from './review-run';
import type { ReviewStatus, ReviewWorkflowInput } from './types';

/**
 * The first version of the review workflow, frozen: it only replays and finishes reviews whose history
 * it started (see `LIFECYCLE_PATCH` in ../review.ts). Do not change its behaviour; delete this folder once
 * no open review runs it (README, "Upgrading workers").
 */
export async function legacyReviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewStatus> {
  const validation = validatePipeline(input?.definition);
  if (!validation.ok) {
    // A definition that skipped client-side validation fails the review at once instead of retrying a workflow task.
    throw ApplicationFailure.nonRetryable(`invalid pipeline definition:\n${formatIssues(validation.issues)}`, 'InvalidPipeline');
  }
  const run = new ReviewRun({ ...input, definition: validation.pipeline });
  run.registerHandlers();
  return run.run();
}
