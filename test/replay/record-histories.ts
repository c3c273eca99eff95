/**
 * Records the history of one review of each built-in pipeline in the time-skipping environment, approving
 * every gate the way a person would. `npm run test:record-histories` writes them to
 * test/replay/histories/<CURRENT_HISTORIES>/; replay.test.ts replays every folder there (the histories of
 * earlier workflow versions too) against the current workflow code. Record anew whenever the workflow changes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { targetNode20 } from '../../workers/bundle-target';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { builtinPipelineNames, loadBuiltinPipeline } from '../../src/pipelines';
import { assertParams } from '../../src/definition/templates';
import type { Pipeline } from '../../src/definition/schema';
import { approveSignal, statusQuery } from '../../workflows/messages';
import { CURRENT_LIFECYCLE } from '../../workflows/patches';
import { reviewTestEnv } from '../helpers/review-harness';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { CURRENT_HISTORIES, REPLAY_INPUTS } from './replay-inputs';

function approverFor(pipeline: Pipeline, gate: string): { by: string; roles: string[] } {
  const approvers = pipeline.steps.find((s) => s.id === gate)?.gate?.approvers ?? [];
  const named = approvers.find((a) => !a.startsWith('role:') && a !== '*');
  return { by: named ?? 'recorder', roles: approvers.filter((a) => a.startsWith('role:')).map((a) => a.slice(5)) };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), webpackConfigHook: targetNode20 });
  process.env.REVIEW_TEST_BUNDLE = join(__dirname, '.bundle.tmp.js');
  writeFileSync(process.env.REVIEW_TEST_BUNDLE, bundle.code);
  const env = await reviewTestEnv();
  try {
    for (const name of builtinPipelineNames()) {
      const pipeline = loadBuiltinPipeline(name);
      const prefix = `replay-${name}`;
      const recorder = recordingActivities();
      await withReviewWorkers(env.nativeConnection, prefix, recorder.activities, async () => {
        const handle = await env.client.workflow.start('reviewWorkflow', {
          taskQueue: `${prefix}-normal`,
          workflowId: `replay-${name}`,
          args: [
            {
              definition: pipeline,
              input: REPLAY_INPUTS[name] ?? {},
              params: assertParams(pipeline, {}),
              subject: `replay of ${name}`,
              options: { taskQueuePrefix: prefix },
              lifecycle: CURRENT_LIFECYCLE,
            },
          ],
        });
        for (;;) {
          const status = await handle.query(statusQuery);
          if (['completed', 'failed', 'rejected', 'cancelled'].includes(status.state)) break;
          for (const step of status.steps.filter((s) => s.state === 'awaiting_approval')) {
            await handle.signal(approveSignal, { step: step.id, ...approverFor(pipeline, step.id), comment: 'recorded' });
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        await handle.result().catch(() => undefined);
        const history = await handle.fetchHistory();
        mkdirSync(join(__dirname, 'histories', CURRENT_HISTORIES), { recursive: true });
        writeFileSync(join(__dirname, 'histories', CURRENT_HISTORIES, `${name}.json`), historyToJSON(history));
        console.log(`recorded ${name}: ${history.events?.length} events`);
      });
    }
  } finally {
    await env.teardown();
    rmSync(process.env.REVIEW_TEST_BUNDLE, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
