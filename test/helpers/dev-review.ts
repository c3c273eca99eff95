import { NativeConnection } from '@temporalio/worker';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { PipelineSchema, type PipelineInput } from '../../src/definition/schema';
import type { reviewWorkflow } from '../../workflows/review';
import type { ReviewWorkflowInput } from '../../workflows/types';
import { devServerAddress, uniqueTaskQueue } from './environments';

/** Starts reviews on the shared dev server under a task-queue prefix unique to the test. */
export function devReviews(client: Client, prefix = uniqueTaskQueue('dev')) {
  let counter = 0;
  return {
    prefix,
    connect: () => NativeConnection.connect({ address: devServerAddress() }),
    start(pipeline: PipelineInput, extra: Partial<Omit<ReviewWorkflowInput, 'definition'>> = {}): Promise<WorkflowHandle<typeof reviewWorkflow>> {
      counter += 1;
      return client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: `${prefix}-${extra.priority ?? 'normal'}`,
        workflowId: `${prefix}-${counter}`,
        staticSummary: [pipeline.name, extra.subject, `${extra.priority ?? 'normal'} priority`].filter(Boolean).join(' · '),
        args: [{ ...extra, definition: PipelineSchema.parse(pipeline), options: { taskQueuePrefix: prefix, ...extra.options } }],
      });
    },
  };
}
