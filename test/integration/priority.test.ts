import { Worker } from '@temporalio/worker';
import { devServerEnv, workflowBundle, type DevServerEnv } from '../helpers/environments';
import { devReviews } from '../helpers/dev-review';
import { recordingActivities } from '../helpers/recording-activities';

let env: DevServerEnv;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('priority on the dev server', () => {
  it('starts critical steps before low ones on the one review queue when ready steps outnumber worker slots', async () => {
    const reviews = devReviews(env.client);
    const recorder = recordingActivities();
    const connection = await reviews.connect();
    const fanOut = Array.from({ length: 16 }, (_, i) => ({
      id: `s${i}`,
      uses: 'echo',
      needs: ['gate'],
      priority: i % 2 === 0 ? ('critical' as const) : ('low' as const),
      with: { delayMs: 30 },
    }));
    const worker = await Worker.create({
      connection,
      taskQueue: reviews.prefix,
      workflowBundle: workflowBundle(),
      activities: recorder.activities,
      maxConcurrentActivityTaskExecutions: 1,
    });
    const result = await worker.runUntil(async () => {
      const handle = await reviews.start({ name: 'contention', steps: [{ id: 'gate', uses: 'echo', with: { delayMs: 200 } }, ...fanOut] });
      return handle.result();
    });
    await connection.close();
    expect(result.state).toBe('completed');
    const order = recorder.events.filter((e) => e.step !== 'gate').sort((a, b) => a.start - b.start);
    const tierOf = (step: string) => (Number(step.slice(1)) % 2 === 0 ? 'critical' : 'low');
    const tiers = order.map((e) => tierOf(e.step));
    const lastCritical = tiers.lastIndexOf('critical');
    const lowsBeforeLastCritical = tiers.slice(0, lastCritical).filter((t) => t === 'low').length;
    // The first task may be handed straight to the idle poller before the backlog forms.
    expect(lowsBeforeLastCritical).toBeLessThanOrEqual(1);
  });
});
