// Verdicts in the status query and the Web UI details, the review page link, and named timers in history.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { statusQuery } from '../../workflows/messages';
import type { PipelineInput } from '../../src/definition/schema';
import type { ReviewStatus } from '../../workflows/types';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const PAGE = 'https://reviews.example.com/reviews/pr-7';

const pipeline: PipelineInput = {
  name: 'verdicts',
  timeout: '14d',
  steps: [
    { id: 'lint', uses: 'echo', with: { passed: false, findings: [{ line: 3, rule: 'no-var', message: 'use let', severity: 'error' }] } },
    { id: 'tests', uses: 'echo', with: { passed: true } },
    { id: 'notify', uses: 'echo', with: { text: 'hello' } },
    { id: 'flaky-scan', uses: 'fail', with: { nonRetryable: true }, onFailure: 'continue' },
    {
      id: 'maintainer-approval',
      needs: ['lint', 'tests', 'notify'],
      gate: { approvers: ['alice'], deadline: '7d', reminders: ['2d'], remind: { uses: 'echo' }, onTimeout: 'approve' },
    },
    // A second gate without reminders: its deadline timer starts as soon as it opens.
    { id: 'editor', needs: ['tests'], gate: { approvers: ['bob'], deadline: '3d', onTimeout: 'approve' } },
  ],
};

type Metadata = { currentDetails?: string };

async function waitForGates(handle: { query: (q: typeof statusQuery) => Promise<ReviewStatus> }): Promise<ReviewStatus> {
  for (let i = 0; i < 200; i++) {
    const status = await handle.query(statusQuery);
    const open = status.steps.filter((s) => s.kind === 'gate' && s.state === 'awaiting_approval');
    if (open.length === 2 && status.steps.find((s) => s.id === 'flaky-scan')?.state === 'failed') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the gates never opened');
}

describe('verdicts, the page link and named timers', () => {
  it('a check that found problems reads found_problems beside succeeded, in the status, the details and the result; timers are named', async () => {
    const t = reviewTest(env);
    const { waiting, details, result, history } = await t.run(async () => {
      const handle = await t.start(pipeline, { pageUrl: PAGE });
      const waiting = await waitForGates(handle);
      const metadata = (await handle.query<Metadata>('__temporal_workflow_metadata')) as Metadata;
      const result = await handle.result();
      return { waiting, details: metadata.currentDetails ?? '', result, history: await handle.fetchHistory() };
    });

    const verdicts = (status: ReviewStatus) => Object.fromEntries(status.steps.map((s) => [s.id, [s.state, s.verdict]]));
    expect(verdicts(waiting)).toEqual({
      lint: ['succeeded', 'found_problems'],
      tests: ['succeeded', 'passed'],
      notify: ['succeeded', 'neutral'],
      'flaky-scan': ['failed', 'found_problems'],
      'maintainer-approval': ['awaiting_approval', undefined],
      editor: ['awaiting_approval', undefined],
    });
    expect(result.state).toBe('completed');
    expect(verdicts(result)).toMatchObject({ lint: ['succeeded', 'found_problems'], 'maintainer-approval': ['succeeded', 'neutral'], editor: ['succeeded', 'neutral'] });

    // The Web UI's current details: a verdict column in words, and the review page's link.
    expect(details).toContain('| step | state | verdict | uses | attempts | notes |');
    expect(details).toMatch(/\| `lint` \| succeeded \| ❌ found problems \| echo \|/);
    expect(details).toMatch(/\| `tests` \| succeeded \| ✅ passed \| echo \|/);
    expect(details).toMatch(/\| `notify` \| succeeded \| neutral \| echo \|/);
    expect(details).toMatch(/\| `maintainer-approval` \| awaiting_approval \| {2}\| gate \|/);
    expect(details).toContain(`[Open the review page](${PAGE})`);

    // Every timer the review started carries a summary the Web UI shows in its timeline.
    const timers = (history.events ?? [])
      .filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)
      .map((e) => (e.userMetadata?.summary ? defaultPayloadConverter.fromPayload<string>(e.userMetadata.summary) : undefined));
    expect(timers).not.toContain(undefined);
    expect(timers).toEqual(
      expect.arrayContaining([
        'review timeout (14d)',
        'maintainer-approval reminder 1',
        'maintainer-approval deadline (7d)',
        'editor deadline (3d)',
      ]),
    );
  });
});

describe('the details of a review of more than 30 steps', () => {
  it('show the open steps first, then the ten that finished last, and count the rest', async () => {
    const checks = Array.from({ length: 40 }, (_, i) => ({ id: `check-${String(i + 1).padStart(2, '0')}`, uses: 'echo' }));
    const t = reviewTest(env);
    const details = await t.run(async () => {
      const handle = await t.start({
        name: 'wide',
        maxParallel: 1,
        steps: [...checks, { id: 'sign-off', needs: checks.map((c) => c.id), gate: { approvers: ['alice'], deadline: '1h', onTimeout: 'approve' } }],
      });
      for (let i = 0; i < 200; i++) {
        if ((await handle.query(statusQuery)).steps.find((s) => s.id === 'sign-off')?.state === 'awaiting_approval') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const metadata = (await handle.query<Metadata>('__temporal_workflow_metadata')) as Metadata;
      await handle.result();
      return metadata.currentDetails ?? '';
    });
    expect(details).toContain('**wide** review — **awaiting_approval** — 40/41 steps (98%)');
    const rows = details.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| `sign-off`', ...Array.from({ length: 10 }, (_, i) => `| \`check-${40 - i}\``)]);
    expect(details).toContain('| … | 30 more steps | | | | |');
  });
});
