import { ApplicationFailure } from '@temporalio/workflow';
import { formatIssues } from '../src/definition/issues';
import { validatePipeline } from '../src/definition/validate';
import { ReviewRun } from './review-run';
import type { ReviewStatus, ReviewWorkflowInput } from './types';

/**
 * Runs one review: the pipeline's steps as a DAG of activities on priority task queues, with approval
 * gates, pause/resume, retries and compensation. The validated definition is part of the input, so
 * replay never depends on pipeline files that may change later.
 */
export async function reviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewStatus> {
  const validation = validatePipeline(input?.definition);
  if (!validation.ok) {
    // A definition that skipped client-side validation fails the review at once instead of retrying a workflow task.
    throw ApplicationFailure.nonRetryable(`invalid pipeline definition:\n${formatIssues(validation.issues)}`, 'InvalidPipeline');
  }
  const run = new ReviewRun({ ...input, definition: validation.pipeline });
  run.registerHandlers();
  return run.run();
}
