/**
 * Runs one generated case in the time-skipping environment: starts the review on its own task-queue
 * prefix, sends the script (sleeping in server time between messages), brings the review to an end
 * (./resolution.ts) and collects what happened: answers, outcome, final status, activities, histories.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { validatePipeline } from '../../../src/definition/validate';
import { reviewTest } from '../../helpers/review-harness';
import { InconclusiveRun, type StartedHandle } from './chain';
import { awaitOutcome } from './client-outcome';
import type { SharedEnvironment } from './environment';
import { runHistories } from './histories';
import { Messenger, queryStatus } from './messenger';
import { withTimeout } from '../../helpers/wait';
import { pipelineInput, reviewOptions, type ReviewCase } from './model';
import type { ClientOutcome, DriverFinding, Observation } from './observation';
import { resolveReview, wallSleep, type ServerSleep } from './resolution';
import { StuckReview } from './stuck';
import { CURRENT_LIFECYCLE } from '../../../workflows/patches';

export { InconclusiveRun };
import { withCaseWorker, type LoadedBundle } from './workers';

/** A problem of the driver or the generator, not of the workflow: the suite stops. */
export class DriverError extends Error {
  override name = 'DriverError';
}

/** Wall time a time-skipped sleep may take: only running activities (at most 300 ms each) hold server time back. */
const SLEEP_WALL_MS = 60_000;

export interface DriverContext {
  shared: SharedEnvironment;
  bundle: LoadedBundle;
  /** Step-by-step trace of what the driver does (for diagnosing the driver itself). */
  trace?: (line: string) => void;
}

function serverSleep(env: TestWorkflowEnvironment, m: Messenger): ServerSleep {
  return async (ms) => {
    try {
      await m.guard(withTimeout(env.sleep(ms), SLEEP_WALL_MS, `sleeping ${ms} ms of server time`), `sleeping ${ms} ms`);
    } catch (err) {
      if (err instanceof StuckReview || err instanceof InconclusiveRun) throw err;
      throw new InconclusiveRun(`the test server's clock did not skip: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** The script, then the resolution; returns the checks the resolution made. */
async function play(c: ReviewCase, m: Messenger, sleep: ServerSleep, findings: DriverFinding[], trace: (line: string) => void): Promise<number> {
  for (const entry of c.script) {
    // Nothing more to say to a closed review.
    if (await m.closed()) break;
    trace(`sleep ${entry.gapMs}`);
    if (entry.gapMs > 0) await sleep(entry.gapMs);
    const record = await m.send(entry.message, 'script');
    trace(`sent ${JSON.stringify(entry.message)}: ${record.answer} ${record.detail ?? ''}`);
  }
  trace('resolve');
  return resolveReview(m, sleep, findings, trace);
}

/** Waits (briefly, in wall time) for activities still running after the review closed. */
async function awaitStragglers(events: { end: number }[]): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (events.some((e) => e.end === 0) && Date.now() < deadline) await wallSleep(50);
}

export async function driveCase(ctx: DriverContext, c: ReviewCase): Promise<Observation> {
  const pipeline = pipelineInput(c);
  const validation = validatePipeline(pipeline);
  if (!validation.ok) throw new DriverError(`generated an invalid pipeline: ${JSON.stringify(validation.issues).slice(0, 2000)}`);
  const trace = ctx.trace ?? (() => undefined);
  const wallStart = Date.now();
  const env = await ctx.shared.ready();
  const t = reviewTest(env);
  for (const step of c.pipeline.steps) if (step.task?.kind === 'flaky') t.recorder.broken.add(step.id);
  return withCaseWorker(env.nativeConnection, t.prefix, ctx.bundle, t.recorder.activities, async () => {
    const startedAt = await env.currentTimeMs();
    // The harness types the handle loosely; a started handle carries its first run's id.
    // Announced as this release's clients do: the review runs without the lifecycle marker (other suites cover reviews with it).
    const handle = (await t.start(pipeline, { options: reviewOptions(c), lifecycle: CURRENT_LIFECYCLE })) as StartedHandle;
    trace(`case ${handle.workflowId}: ${JSON.stringify(c)}`);
    const m = new Messenger(env, handle, () => t.recorder.broken.clear(), trace);
    const findings: DriverFinding[] = [];
    let driverChecks = 0;
    let outcome: ClientOutcome | undefined;
    try {
      driverChecks = await play(c, m, serverSleep(env, m), findings, trace);
    } catch (err) {
      if (!(err instanceof StuckReview)) throw err;
      outcome = { kind: 'open', detail: err.message };
    }
    outcome ??= await awaitOutcome(env.client.workflow, handle);
    trace(`outcome ${outcome.kind}`);
    const observation: Observation = { workflowId: handle.workflowId, startedAt, messages: m.records, outcome, events: [], runs: [], findings, driverChecks, wallMs: 0 };
    try {
      observation.final = await queryStatus(handle);
    } catch (err) {
      observation.finalQueryError = err instanceof Error ? err.message : String(err);
    }
    try {
      observation.runs = await runHistories(env.client.workflow, handle, ctx.bundle);
    } catch (err) {
      throw new DriverError(`could not read the histories of ${handle.workflowId}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await awaitStragglers(t.recorder.events);
    observation.events = t.recorder.events.map((e) => ({ ...e }));
    observation.wallMs = Date.now() - wallStart;
    return observation;
  });
}
