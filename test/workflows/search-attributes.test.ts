// The review's search attributes: sent with its first status in one upsert, and only those its start did not set.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { PipelineSchema } from '../../src/definition/schema';
import { firstListedState, initialSearchAttributes, REVIEW_KEYS } from '../../src/client/search';
import { planStart } from '../../src/client/start-options';
import { statusQuery } from '../../workflows/messages';
import { waitFor } from '../helpers/wait';
import type { reviewWorkflow } from '../../workflows/review';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const pipeline = PipelineSchema.parse({ name: 'attributes', steps: [{ id: 'only', uses: 'echo' }] });
const UPSERT = temporal.api.enums.v1.EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES;

/** The search attributes of each upsert in the review's history, decoded, without the SDK's TemporalChangeVersion. */
async function upserts(workflowId: string): Promise<Record<string, unknown>[]> {
  const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? [])
    .filter((e) => e.eventType === UPSERT)
    .map((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
    .map((fields) => Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, defaultPayloadConverter.fromPayload(p)])))
    .filter((attrs) => !('TemporalChangeVersion' in attrs));
}

/** Starts the review as the client's startReview does: the plan's input, queue and search attributes. */
function startPlanned(plan: ReturnType<typeof planStart>, workflowId: string) {
  return env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
    taskQueue: plan.taskQueue,
    workflowId,
    args: [plan.input],
    typedSearchAttributes: plan.typedSearchAttributes,
  });
}

describe('firstListedState', () => {
  it('lists a review running when a step without needs is a task, whatever its if:', () => {
    const parse = (steps: unknown[]) => PipelineSchema.parse({ name: 'p', steps });
    expect(firstListedState(parse([{ id: 'a', uses: 'echo', if: 'false' }]))).toBe('running');
    expect(firstListedState(parse([{ id: 'g', gate: { approvers: ['*'] } }, { id: 'a', uses: 'echo', needs: ['g'] }]))).toBe('pending');
  });
});

describe('search attributes of a review', () => {
  it('a start without them gets them all with the first status, in one upsert', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(pipeline, { tenant: 'acme', subject: 'PR #7' });
      await handle.result();
      expect(await upserts(handle.workflowId)).toEqual([
        { ReviewPipeline: ['attributes'], ReviewPriority: ['normal'], ReviewSubject: ['PR #7'], ReviewTenant: ['acme'], ReviewStatus: ['running'] },
        { ReviewStatus: ['completed'] },
      ]);
    });
  });

  it('a start that set them (as the client does) and listed the review running upserts only its outcome', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const plan = planStart({ pipeline, params: {}, input: {}, tenant: 'acme', taskQueuePrefix: t.prefix });
      expect(plan.typedSearchAttributes).toContainEqual({ key: REVIEW_KEYS.status, value: 'running' });
      const handle = await startPlanned(plan, `${t.prefix}-planned`);
      await handle.result();
      expect(await upserts(handle.workflowId)).toEqual([{ ReviewStatus: ['completed'] }]);
    });
  });

  it('a start listed in another state than its first workflow task reaches is corrected by one upsert', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const gated = PipelineSchema.parse({ name: 'attributes', steps: [{ id: 'ok', gate: { approvers: ['*'] } }] });
      const plan = planStart({ pipeline: gated, params: {}, input: {}, taskQueuePrefix: t.prefix });
      expect(plan.typedSearchAttributes).toContainEqual({ key: REVIEW_KEYS.status, value: 'pending' });
      const handle = await startPlanned(plan, `${t.prefix}-gated`);
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      await handle.cancel();
      await handle.result().catch(() => undefined);
      expect((await upserts(handle.workflowId))[0]).toEqual({ ReviewStatus: ['awaiting_approval'] });
    });
  });

  it('a start that set them (as the client does) is sent only its status', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const workflowId = `${t.prefix}-client-start`;
      const handle = await env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: `${t.prefix}-normal`,
        workflowId,
        args: [{ definition: pipeline, tenant: 'acme', options: { taskQueuePrefix: t.prefix } }],
        typedSearchAttributes: initialSearchAttributes({ pipeline: 'attributes', priority: 'normal', tenant: 'acme' }),
      });
      await handle.result();
      expect(await upserts(workflowId)).toEqual([{ ReviewStatus: ['running'] }, { ReviewStatus: ['completed'] }]);
      const described = await handle.describe();
      expect(described.searchAttributes).toMatchObject({ ReviewPipeline: ['attributes'], ReviewTenant: ['acme'], ReviewStatus: ['completed'] });
    });
  });
});
