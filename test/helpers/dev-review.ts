import { NativeConnection } from '@temporalio/worker';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { PipelineSchema, type PipelineInput } from '../../src/definition/schema';
import type { reviewWorkflow } from '../../workflows/review';
import type { ReviewWorkflowInput } from '../../workflows/types';
import { PRIORITY_KEYS } from '../../workflows/step-options';
import { devServerAddress, uniqueTaskQueue } from './environments';

/** Starts reviews on the shared dev server on a review queue unique to the test, as the client does. */
export function devReviews(client: Client, prefix = uniqueTaskQueue('dev')) {
  let counter = 0;
  return {
    prefix,
    connect: () => NativeConnection.connect({ address: devServerAddress() }),
    start(pipeline: PipelineInput, extra: Partial<Omit<ReviewWorkflowInput, 'definition'>> = {}): Promise<WorkflowHandle<typeof reviewWorkflow>> {
      counter += 1;
      return client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: prefix,
        priority: { priorityKey: PRIORITY_KEYS[extra.priority ?? 'normal'], ...(extra.tenant ? { fairnessKey: extra.tenant } : {}) },
        workflowId: `${prefix}-${counter}`,
        staticSummary: [pipeline.name, extra.subject, `${extra.priority ?? 'normal'} priority`].filter(Boolean).join(' · '),
        args: [{ ...extra, definition: PipelineSchema.parse(pipeline), options: { taskQueuePrefix: prefix, stepQueues: 'workflow', ...extra.options } }],
      });
    },
  };
}
