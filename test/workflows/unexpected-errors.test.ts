/**
 * A bug in the review's own code ends the review as failed, saying why, instead of failing its workflow
 * task at every attempt (which leaves a review stuck until a fixed worker is deployed). The bug is
 * planted by bundling the workflows with a step book and details that throw (test/fixtures/broken-step-book,
 * test/fixtures/broken-details).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { targetNode20 } from '../../workers/bundle-target';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { withReviewWorkers } from '../helpers/review-workers';
import type { ReviewStatus } from '../../workflows/types';

type WebpackConfig = Parameters<typeof targetNode20>[0];
type Webpack = { NormalModuleReplacementPlugin: new (pattern: RegExp, replace: (resource: { request: string; context: string }) => void) => unknown };

const BROKEN_STEP_BOOK = join(__dirname, '../fixtures/broken-step-book/step-book.ts');
const BROKEN_DETAILS = join(__dirname, '../fixtures/broken-details/details.ts');
const WORKFLOWS_DIR = join(__dirname, '../../workflows');

/** The workflows, with `./step-book` and `./details` as the workflow modules import them replaced by the broken ones. */
function plantBug(config: WebpackConfig): WebpackConfig {
  const webpack = createRequire(require.resolve('@temporalio/worker'))('webpack') as Webpack;
  const broken: Record<string, string> = { './step-book': BROKEN_STEP_BOOK, './details': BROKEN_DETAILS };
  const replace = new webpack.NormalModuleReplacementPlugin(/^\.\/(step-book|details)$/, (resource) => {
    if (resource.context === WORKFLOWS_DIR) resource.request = broken[resource.request] ?? resource.request;
  });
  const out = targetNode20(config);
  out.plugins = [...(out.plugins ?? []), replace as never];
  return out;
}

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
beforeAll(async () => {
  [env, bundle] = await Promise.all([
    reviewTestEnv(),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), webpackConfigHook: plantBug, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } }),
  ]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

async function endOf(pipelineName: string, extra: Record<string, unknown> = {}) {
  const t = reviewTest(env);
  return withReviewWorkers(env.nativeConnection, t.prefix, t.recorder.activities, async () => {
    const handle = await t.start({ name: pipelineName, steps: [{ id: 'build', uses: 'echo' }], ...extra });
    const error = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    const { events } = await handle.fetchHistory();
    const described = await handle.describe();
    return { error, events: events ?? [], described, ran: t.recorder.events.map((e) => `${e.step}/${e.kind}`) };
  }, { workflowBundle: bundle });
}

function failureOf(error: unknown): ApplicationFailure {
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

const TASK_FAILED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;

describe('a bug in the review workflow', () => {
  it('in its first workflow task ends the review failed with the reason, and no workflow task fails', async () => {
    const { error, events, described } = await endOf('break-at-start');
    const failure = failureOf(error);
    expect(failure.type).toBe('ReviewFailed');
    expect(failure.message).toBe('review failed: internal error: planted bug: at start');
    expect(failure.cause?.message).toBe('planted bug: at start');
    const status = failure.details?.[0] as ReviewStatus;
    expect(status).toMatchObject({ state: 'failed', phase: 'closed', lastError: 'internal error: planted bug: at start' });
    expect(status.notices).toContain('the review stopped: internal error: planted bug: at start');
    expect(events.filter((e) => e.eventType === TASK_FAILED)).toEqual([]);
    expect(described.searchAttributes.ReviewStatus).toEqual(['failed']);
  });

  it('before its first step (search attributes, metrics, details) ends it the same way', async () => {
    const { error, events, described, ran } = await endOf('break-at-begin');
    expect(ran).toEqual([]);
    const failure = failureOf(error);
    expect(failure.message).toBe('review failed: internal error: planted bug: at begin');
    expect((failure.details?.[0] as ReviewStatus).state).toBe('failed');
    expect(events.filter((e) => e.eventType === TASK_FAILED)).toEqual([]);
    expect(described.searchAttributes.ReviewStatus).toEqual(['failed']);
  });

  it('in a later phase (closing, before its finally actions) ends it the same way', async () => {
    const { error, events, described, ran } = await endOf('break-at-close', { finally: [{ uses: 'echo' }] });
    expect(ran).toEqual(['build/step']);
    const failure = failureOf(error);
    expect(failure.message).toBe('review failed: internal error: planted bug: at close');
    expect((failure.details?.[0] as ReviewStatus).steps.find((s) => s.id === 'build')?.state).toBe('succeeded');
    expect(events.filter((e) => e.eventType === TASK_FAILED)).toEqual([]);
    expect(described.searchAttributes.ReviewStatus).toEqual(['failed']);
  });
});
