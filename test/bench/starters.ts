/** Starting the project's review workflow and the hand-written baseline the same way. */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { planStart } from '../../src/client/start-options';
import type { Pipeline, Priority } from '../../src/definition/schema';
import type { ReviewOptions } from '../../workflows/types';
import type { HandWrittenInput } from './hand-written-workflows';

export interface OurStart {
  prefix: string;
  id: string;
  priority?: Priority;
  options?: ReviewOptions;
}

/** Starts `reviewWorkflow` with the input, task queue, summary and search attributes the client's startReview plans. */
export function startOurs(client: Client, pipeline: Pipeline, start: OurStart): Promise<WorkflowHandle> {
  const plan = planStart({
    pipeline,
    params: {},
    input: {},
    taskQueuePrefix: start.prefix,
    ...(start.priority ? { priority: start.priority } : {}),
  });
  return client.workflow.start('reviewWorkflow', {
    workflowId: start.id,
    taskQueue: plan.taskQueue,
    priority: plan.temporalPriority,
    args: [{ ...plan.input, options: { ...plan.input.options, ...start.options } }],
    typedSearchAttributes: plan.typedSearchAttributes,
    staticSummary: plan.staticSummary,
    staticDetails: plan.staticDetails,
  });
}

export function startHand(client: Client, workflow: 'handDiamondWorkflow' | 'handChainWorkflow', input: HandWrittenInput, id: string): Promise<WorkflowHandle> {
  return client.workflow.start(workflow, { workflowId: id, taskQueue: input.taskQueuePrefix, priority: { priorityKey: 3 }, args: [input] });
}
