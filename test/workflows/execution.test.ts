import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { STEP_PRIORITY_ORDER_PATCH } from '../../workflows/patches';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import type { StepEvent } from '../helpers/recording-activities';
import { patchMarkers } from '../helpers/patch-markers';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const priorityMarkers = async (handle: WorkflowHandle): Promise<number> =>
  (await patchMarkers(handle)).filter((id) => id === STEP_PRIORITY_ORDER_PATCH).length;

const byStep = (events: StepEvent[]) => new Map(events.filter((e) => e.kind === 'step').map((e) => [e.step, e]));

describe('review execution', () => {
  it('runs a diamond: no step before its needs, independent steps overlap', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () => {
      const handle = await t.start({
        name: 'diamond',
        steps: [
          { id: 'a', uses: 'echo', with: { delayMs: 50 } },
          { id: 'b', uses: 'echo', needs: ['a'], with: { delayMs: 400 } },
          { id: 'c', uses: 'echo', needs: ['a'], with: { delayMs: 400 } },
          { id: 'd', uses: 'echo', needs: ['a'], with: { delayMs: 400 } },
          { id: 'e', uses: 'echo', needs: ['b', 'c', 'd'], with: { from: '${{ steps.b.output.step }}' } },
        ],
      });
      return handle.result();
    });
    expect(result.state).toBe('completed');
    expect(result.progress).toEqual({ done: 5, total: 5, percent: 100 });
    const ev = byStep(t.recorder.events);
    const a = ev.get('a')!, b = ev.get('b')!, c = ev.get('c')!, d = ev.get('d')!, e = ev.get('e')!;
    for (const x of [b, c, d]) expect(x.start).toBeGreaterThanOrEqual(a.end);
    expect(e.start).toBeGreaterThanOrEqual(Math.max(b.end, c.end, d.end));
    expect(Math.max(b.start, c.start, d.start)).toBeLessThan(Math.min(b.end, c.end, d.end));
    expect(result.steps.find((s) => s.id === 'e')?.output).toMatchObject({ from: 'b' });
  });

  it('never runs more than maxParallel steps at once', async () => {
    const t = reviewTest(env);
    const steps = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, uses: 'echo', with: { delayMs: 250 } }));
    const result = await t.run(async () => (await t.start({ name: 'wide', maxParallel: 2, steps })).result());
    expect(result.state).toBe('completed');
    const events = t.recorder.events;
    const points = events.flatMap((e) => [
      { t: e.start, d: 1 },
      { t: e.end, d: -1 },
    ]);
    points.sort((x, y) => x.t - y.t || x.d - y.d);
    let running = 0;
    let peak = 0;
    for (const p of points) {
      running += p.d;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);
  });

  it('starts the ready steps of the highest priority first, each tier in the order its steps became ready', async () => {
    const t = reviewTest(env);
    const step = (id: string, priority: 'critical' | 'high' | 'normal' | 'low') => ({ id, uses: 'echo', priority, with: { delayMs: 20 } });
    const { result, markers } = await t.run(async () => {
      const handle = await t.start({
        name: 'priorities',
        maxParallel: 1,
        steps: [step('lint', 'low'), step('docs', 'normal'), step('scan', 'critical'), step('audit', 'critical'), step('license', 'high')],
      });
      const result = await handle.result();
      return { result, markers: await priorityMarkers(handle) };
    });
    expect(result.state).toBe('completed');
    const started = t.recorder.events.filter((e) => e.kind === 'step').sort((a, b) => a.start - b.start);
    expect(started.map((e) => e.step)).toEqual(['scan', 'audit', 'license', 'docs', 'lint']);
    expect(markers).toBe(1);
  });

  it('records no patch marker when the ready steps are in priority order already', async () => {
    const t = reviewTest(env);
    const markers = await t.run(async () => {
      const handle = await t.start({
        name: 'in-order',
        maxParallel: 1,
        steps: [
          { id: 'scan', uses: 'echo', priority: 'critical' },
          { id: 'lint', uses: 'echo', priority: 'low' },
          { id: 'after', uses: 'echo', needs: ['lint'] },
        ],
      });
      await handle.result();
      return priorityMarkers(handle);
    });
    expect(markers).toBe(0);
  });

  it('skips steps whose condition is false, and their dependents, saying why', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () =>
      (
        await t.start(
          {
            name: 'conditional',
            params: { strict: { type: 'boolean', default: false } },
            steps: [
              { id: 'lint', uses: 'echo', with: { errors: 0 } },
              { id: 'strict', uses: 'echo', needs: ['lint'], if: 'params.strict' },
              { id: 'after', uses: 'echo', needs: ['strict'] },
              { id: 'report', uses: 'echo', needs: ['lint'], if: '${{ steps.lint.output.errors == 0 }}' },
            ],
          },
          { params: { strict: false } },
        )
      ).result(),
    );
    const step = (id: string) => result.steps.find((s) => s.id === id)!;
    expect(step('strict').state).toBe('skipped');
    expect(step('strict').skippedReason).toContain('condition "params.strict" was false');
    expect(step('after').state).toBe('skipped');
    expect(step('after').skippedReason).toBe('needs strict, which was skipped');
    expect(step('report').state).toBe('succeeded');
    expect(result.state).toBe('completed');
  });

  it('continues past a step with onFailure: continue and uses a fallback when one is declared', async () => {
    const t = reviewTest(env);
    const result = await t.run(async () =>
      (
        await t.start({
          name: 'tolerant',
          defaults: { retry: { maxAttempts: 1 } },
          steps: [
            { id: 'optional', uses: 'fail', onFailure: 'continue' },
            { id: 'downstream', uses: 'echo', needs: ['optional'] },
            { id: 'withFallback', uses: 'fail', onFailure: { fallback: { uses: 'echo', with: { cached: true } } } },
            { id: 'uses-fallback', uses: 'echo', needs: ['withFallback'], with: { c: '${{ steps.withFallback.output.cached }}' } },
          ],
        })
      ).result(),
    );
    const step = (id: string) => result.steps.find((s) => s.id === id)!;
    expect(result.state).toBe('completed');
    expect(step('optional').state).toBe('failed');
    expect(step('downstream').state).toBe('skipped');
    expect(step('withFallback')).toMatchObject({ state: 'succeeded', viaFallback: true });
    expect(step('uses-fallback').output).toMatchObject({ c: true });
  });
});

describe('a definition that skipped validation', () => {
  it('fails the review at once with a non-retryable error that says why', async () => {
    const t = reviewTest(env);
    const err = await t.run(async () => {
      const handle = await env.client.workflow.start('reviewWorkflow', {
        taskQueue: `${t.prefix}-normal`,
        workflowId: `${t.prefix}-invalid`,
        args: [{ definition: { name: 'bad', steps: [{ id: 'a', uses: 'echo', needs: ['ghost'] }] } }],
      });
      return handle.result().catch((e: unknown) => e);
    });
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    expect(cause?.type).toBe('InvalidPipeline');
    expect(cause?.message).toMatch(/steps\[0\]\.needs\[0\].*ghost/);
    expect(t.recorder.events).toHaveLength(0);
  });
});
