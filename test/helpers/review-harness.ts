import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { PipelineSchema, type PipelineInput } from '../../src/definition/schema';
import type { reviewWorkflow } from '../../workflows/review';
import type { ReviewOptions, ReviewWorkflowInput } from '../../workflows/types';
import { timeSkippingEnv, uniqueTaskQueue } from './environments';
import { recordingActivities } from './recording-activities';
import { withReviewWorkers } from './review-workers';
import { SEARCH_ATTRIBUTES } from '../../src/search-attributes';

/** A time-skipping environment with the review search attributes registered. */
export async function reviewTestEnv(): Promise<TestWorkflowEnvironment> {
  const env = await timeSkippingEnv();
  await env.connection.operatorService
    .addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(Object.keys(SEARCH_ATTRIBUTES).map((k) => [k, 2 /* KEYWORD */])),
    })
    .catch(() => undefined);
  return env;
}

export interface ReviewTest {
  prefix: string;
  recorder: ReturnType<typeof recordingActivities>;
  start(
    pipeline: PipelineInput,
    extra?: Partial<Omit<ReviewWorkflowInput, 'definition'>> & { options?: ReviewOptions },
  ): Promise<WorkflowHandle<typeof reviewWorkflow>>;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function reviewTest(env: TestWorkflowEnvironment): ReviewTest {
  const prefix = uniqueTaskQueue('review');
  const recorder = recordingActivities(() => env.currentTimeMs());
  let counter = 0;
  return {
    prefix,
    recorder,
    start(pipeline, extra = {}) {
      counter += 1;
      const input: ReviewWorkflowInput = {
        ...extra,
        definition: PipelineSchema.parse(pipeline),
        options: { taskQueuePrefix: prefix, ...extra.options },
      };
      return env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: `${prefix}-${extra.priority ?? 'normal'}`,
        workflowId: `${prefix}-${counter}`,
        args: [input],
      });
    },
    run(fn) {
      return withReviewWorkers(env.nativeConnection, prefix, recorder.activities, fn);
    },
  };
}
