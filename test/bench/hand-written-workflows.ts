/**
 * The comparison baseline: the benchmark shapes written directly against the Temporal SDK, calling the
 * same `runStep` activity with the same request, task queue (the workflow's own), timeouts, retry policy,
 * summary and priority key that the review workflow uses for a normal-priority step without settings of its own.
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { StepRequest, StepResponse } from '../../activities/types';

interface Activities {
  runStep(request: StepRequest): Promise<StepResponse>;
}

const { runStep } = proxyActivities<Activities>({ startToCloseTimeout: '10m' });

export interface HandWrittenInput {
  taskQueuePrefix: string;
  pipeline: string;
  /** Steps in the chain (handChainWorkflow only). */
  length?: number;
}

/** On the workflow's own task queue, like a review's steps, so eager dispatch helps both alike. */
function options(stepId: string): ActivityOptions {
  return {
    startToCloseTimeout: 600_000,
    retry: { maximumAttempts: 3, initialInterval: 1_000, backoffCoefficient: 2, maximumInterval: 60_000 },
    summary: `${stepId} · echo`,
    priority: { priorityKey: 3 },
  };
}

function step(input: HandWrittenInput, stepId: string): Promise<StepResponse> {
  const request: StepRequest = {
    review: { id: workflowInfo().workflowId, pipeline: input.pipeline, priority: 'normal' },
    stepId,
    kind: 'step',
    uses: 'echo',
    with: {},
  };
  return runStep.executeWithOptions(options(stepId), [request]);
}

/** a → (b, c, d) → e */
export async function handDiamondWorkflow(input: HandWrittenInput): Promise<number> {
  await step(input, 'a');
  await Promise.all(['b', 'c', 'd'].map((id) => step(input, id)));
  await step(input, 'e');
  return 5;
}

export async function handChainWorkflow(input: HandWrittenInput): Promise<number> {
  const length = input.length ?? 1;
  for (let i = 0; i < length; i++) await step(input, `s${i}`);
  return length;
}
