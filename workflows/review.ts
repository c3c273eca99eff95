import { ApplicationFailure } from '@temporalio/workflow';
import { registerHandlers } from './handlers';
import { ReviewRun } from './review-run';
import { structuralProblems } from './structure';
import type { ReviewStatus, ReviewWorkflowInput } from './types';
import { legacyReviewWorkflow } from './legacy/review-v1';
import { codeVersionOf } from './code-version';
import { LIFECYCLE_PATCH } from './patches';

export { LIFECYCLE_PATCH };

/**
 * Runs one review: the pipeline's steps as a DAG of activities on priority task queues, with approval
 * gates, pause/resume, retries and compensation. The definition, validated by the client before the
 * start, is part of the input, so replay never depends on pipeline files that may change later.
 */
export function reviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewStatus> {
  const { turnDispatch, promptDispatch, firstVersion } = codeVersionOf(input);
  if (firstVersion) return legacyReviewWorkflow(input as Parameters<typeof legacyReviewWorkflow>[0]);
  const problems = structuralProblems(input?.definition);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`invalid pipeline definition:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'InvalidPipeline');
  }
  const run = new ReviewRun(input, promptDispatch, turnDispatch);
  registerHandlers(run);
  return run.run();
}

