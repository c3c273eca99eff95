import { ReviewRun } from './review-run';
import type { ReviewStatus, ReviewWorkflowInput } from './types';

/**
 * Runs one review: the pipeline's steps as a DAG of activities on priority task queues, with approval
 * gates, pause/resume, retries and compensation. The validated definition is part of the input, so
 * replay never depends on pipeline files that may change later.
 */
export async function reviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewStatus> {
  const run = new ReviewRun(input);
  run.registerHandlers();
  return run.run();
}
