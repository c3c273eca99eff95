import { ApplicationFailure } from '@temporalio/workflow';
import { structuralProblems } from '../structure';
import { ReviewRun } from './review-run';
import type { ReviewStatus, ReviewWorkflowInput } from './types';

/**
 * The first version of the review workflow, frozen: it only replays and finishes reviews whose history
 * it started (see `LIFECYCLE_PATCH` in ../patches.ts). Do not change its behaviour; delete this folder once
 * no open review runs it (README, "Upgrading workers"). One deliberate change: it no longer runs the full
 * pipeline validator (which built every zod schema in each workflow) but the structural checks; for the
 * definitions it can still be running, which all passed validation when they started, both agree.
 */
export async function legacyReviewWorkflow(input: ReviewWorkflowInput): Promise<ReviewStatus> {
  const problems = structuralProblems(input?.definition);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`invalid pipeline definition:\n${problems.join('\n')}`, 'InvalidPipeline');
  }
  const run = new ReviewRun(input);
  run.registerHandlers();
  return run.run();
}
