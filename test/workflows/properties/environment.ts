/**
 * The time-skipping environment the cases share, renewed when its clock stops skipping. The test
 * server counts time-skipping locks; one left behind by an earlier case (an activity still running
 * when its review closed, temporalio/sdk-java#1138) makes every later sleep run at wall-clock speed,
 * which would turn days of gates and deadlines into hours. A one-second sleep is the probe.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTestEnv } from '../../helpers/review-harness';

const PROBE_MS = 1_000;
const STUCK_WALL_MS = 600;

/**
 * Stops a test server without closing its client connection: a call the driver gave up on (a timed-out
 * query, a sleep cut short by the server) may still be retrying on it, and grpc-js throws, outside any
 * test, when a retry finds its channel closed. With the server gone the retry fails and is dropped.
 */
async function stop(env: TestWorkflowEnvironment): Promise<void> {
  env.connection.close = async () => undefined;
  await env.teardown().catch(() => undefined);
}

export class SharedEnvironment {
  renewals = 0;

  private constructor(private current: TestWorkflowEnvironment) {}

  static async create(): Promise<SharedEnvironment> {
    return new SharedEnvironment(await reviewTestEnv());
  }

  get env(): TestWorkflowEnvironment {
    return this.current;
  }

  /** The environment, renewed first if its clock no longer skips. */
  async ready(): Promise<TestWorkflowEnvironment> {
    const started = Date.now();
    await this.current.sleep(PROBE_MS);
    if (Date.now() - started > STUCK_WALL_MS) await this.renew();
    return this.current;
  }

  /** Replaces the test server (after it wedged a workflow task, or its clock stopped skipping). */
  async renew(): Promise<void> {
    await stop(this.current);
    this.current = await reviewTestEnv();
    this.renewals += 1;
  }

  async teardown(): Promise<void> {
    await stop(this.current);
  }
}
