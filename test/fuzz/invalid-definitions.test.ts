import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import type { reviewWorkflow } from '../../workflows/review';
import type { ReviewWorkflowInput } from '../../workflows/types';
import { workflowTaskFailures } from './history';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** How long a review with a broken definition may take to fail; anything slower is "retrying forever". */
const FAIL_FAST_MS = 8_000;

/** Definitions that validatePipeline rejects, sent straight to the workflow as a client that skipped validation would. */
const BROKEN: [string, unknown, RegExp][] = [
  ['a step needing an unknown step', { name: 'broken', steps: [{ id: 'a', uses: 'echo', needs: ['ghost'] }] }, /ghost/],
  [
    'a dependency cycle',
    { name: 'broken', steps: [{ id: 'a', uses: 'echo', needs: ['b'] }, { id: 'b', uses: 'echo', needs: ['a'] }] },
    /cycle|a -> b/,
  ],
  ['an expression syntax error in if', { name: 'broken', steps: [{ id: 'a', uses: 'echo', if: '${{ (( }}' }] }, /condition|expression/],
  ['an expression syntax error in with', { name: 'broken', steps: [{ id: 'a', uses: 'echo', with: { x: '${{ steps. }}' } }] }, /expression|steps\./],
  ['a bad review timeout', { name: 'broken', timeout: '5 minutes', steps: [{ id: 'a', uses: 'echo' }] }, /5 minutes/],
  ['a bad gate deadline', { name: 'broken', steps: [{ id: 'g', gate: { approvers: ['ed'], deadline: 'soon' } }] }, /soon/],
  ['a bad retry interval', { name: 'broken', steps: [{ id: 'a', uses: 'echo', retry: { initialInterval: 'often' } }] }, /often/],
  ['no steps at all', { name: 'broken' }, /steps/],
  ['a definition that is not an object', 'pr-review', /definition|pipeline/],
];

describe('a review whose definition slipped past validation', () => {
  it.each(BROKEN)('with %s fails fast with a non-retryable error that says why', async (_name, definition, why) => {
    const t = reviewTest(env);
    await t.run(async () => {
      const input = { definition, options: { taskQueuePrefix: t.prefix } } as unknown as ReviewWorkflowInput;
      const handle = await env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: `${t.prefix}-normal`,
        workflowId: `${t.prefix}-broken`,
        args: [input],
      });
      const outcome = await Promise.race([
        handle.result().then(
          (result) => ({ kind: 'completed' as const, state: result.state, steps: result.steps.map((s) => `${s.id}:${s.state}`) }),
          (error: unknown) => ({ kind: 'failed' as const, error }),
        ),
        new Promise<{ kind: 'hanging' }>((resolve) => setTimeout(() => resolve({ kind: 'hanging' }), FAIL_FAST_MS)),
      ]);
      const taskFailures = await workflowTaskFailures(handle);
      if (outcome.kind === 'hanging') await handle.terminate('test: definition never failed');
      const cause = outcome.kind === 'failed' && outcome.error instanceof WorkflowFailedError ? outcome.error.cause : undefined;
      expect({
        outcome: outcome.kind === 'completed' ? `completed as ${outcome.state} (${outcome.steps.join(', ')})` : outcome.kind,
        nonRetryable: cause instanceof ApplicationFailure ? cause.nonRetryable : undefined,
        saysWhy: cause ? why.test(cause.message) : undefined,
        workflowTaskFailures: taskFailures,
      }).toEqual({ outcome: 'failed', nonRetryable: true, saysWhy: true, workflowTaskFailures: 0 });
    });
  }, 60_000);
});
