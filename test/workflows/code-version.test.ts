// A review announced as this code's lifecycle version runs without the version's patch marker; others record it.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../helpers/environments';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { planStart } from '../../src/client/start-options';
import { PipelineSchema } from '../../src/definition/schema';
import { approveSignal, statusQuery } from '../../workflows/messages';
import { CURRENT_LIFECYCLE } from '../../workflows/patches';
import { workflowTaskFailures } from '../fuzz/history';
import { waitFor } from '../helpers/wait';
import { patchMarkers } from '../helpers/patch-markers';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const { EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: UPSERT } = temporal.api.enums.v1.EventType;

/** The patch ids of the markers in the review's history, and whether any upsert set TemporalChangeVersion. */
async function versionTrail(handle: WorkflowHandle): Promise<{ markers: string[]; changeVersion: boolean }> {
  const events = (await handle.fetchHistory()).events ?? [];
  const changeVersion = events.some((e) => e.eventType === UPSERT && 'TemporalChangeVersion' in (e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
  return { markers: await patchMarkers(handle), changeVersion };
}

const gated = PipelineSchema.parse({
  name: 'code-version',
  steps: [
    { id: 'check', uses: 'echo' },
    { id: 'editor', needs: ['check'], gate: { approvers: ['ed'] } },
    { id: 'publish', uses: 'echo', needs: ['editor'] },
  ],
});

describe('the lifecycle version of a review', () => {
  it('is announced by the clients of this release', () => {
    expect(planStart({ pipeline: gated, params: {}, input: {} }).input.lifecycle).toBe(CURRENT_LIFECYCLE);
  });

  it('an announced review runs without a marker, and replays from its history on a worker that never saw it', async () => {
    const t = reviewTest(env);
    const handle = await t.run(async () => {
      const started = await t.start(gated, { lifecycle: CURRENT_LIFECYCLE });
      await waitFor(async () => ((await started.query(statusQuery)).steps.some((s) => s.id === 'editor' && s.state === 'awaiting_approval') ? true : undefined));
      await started.signal(approveSignal, { step: 'editor', by: 'ed' });
      expect((await started.result()).state).toBe('completed');
      return started;
    });
    expect(await versionTrail(handle)).toEqual({ markers: [], changeVersion: false });
    expect(await workflowTaskFailures(handle)).toBe(0);
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, await handle.fetchHistory(), handle.workflowId)).resolves.toBeUndefined();
  });

  it('a review started without the announcement (an older client) records the marker, as before', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(PipelineSchema.parse({ name: 'code-version', steps: [{ id: 'only', uses: 'echo' }] }));
      await handle.result();
      expect(await versionTrail(handle)).toEqual({ markers: [CURRENT_LIFECYCLE], changeVersion: true });
    });
  });
});
