import { impactOf, nextSteps, planPipeline, stepReadiness } from '../../src/definition/plan';
import { resolveStepSettings } from '../../src/definition/settings';
import { assertValidPipeline } from '../../src/definition/validate';

const pipeline = assertValidPipeline({
  name: 'pr',
  priority: 'high',
  defaults: { retry: { maxAttempts: 5 }, timeout: { startToClose: '5m' }, onFailure: 'fail' },
  steps: [
    { id: 'lint', uses: 'command', onFailure: 'continue' },
    { id: 'tests', uses: 'command', retry: { initialInterval: '1s' }, timeout: { heartbeat: '30s' } },
    { id: 'report', uses: 'report', needs: ['lint', 'tests'] },
    { id: 'approve', needs: ['report'], gate: { approvers: ['role:maintainer'] } },
    { id: 'merge', uses: 'http', needs: ['approve'], priority: 'critical' },
    { id: 'on-lint-failure', uses: 'notify', needs: ['tests'], if: '!steps.tests.output.passed' },
  ],
});

describe('planPipeline', () => {
  it('gives order, levels, critical path, roots, leaves and gates', () => {
    const plan = planPipeline(pipeline);
    expect(plan.levels).toEqual([['lint', 'tests'], ['report', 'on-lint-failure'], ['approve'], ['merge']]);
    expect(plan.order.indexOf('merge')).toBe(5);
    expect(plan.criticalPath).toEqual({ steps: ['lint', 'report', 'approve', 'merge'], duration: 4 });
    expect(plan.roots).toEqual(['lint', 'tests']);
    expect(plan.leaves).toEqual(['merge', 'on-lint-failure']);
    expect(plan.gates).toEqual(['approve']);
  });

  it('weights the critical path with estimates', () => {
    const plan = planPipeline(pipeline, { estimates: { tests: 600_000, lint: 1_000, report: 1_000, 'on-lint-failure': 10 } });
    expect(plan.criticalPath.steps).toEqual(['tests', 'report', 'approve', 'merge']);
    expect(plan.criticalPath.duration).toBe(600_000 + 1_000 + 1 + 1);
  });
});

describe('stepReadiness and nextSteps', () => {
  it('runs a step once all its needs succeeded', () => {
    expect(stepReadiness(pipeline, 'report', (id) => ({ lint: 'succeeded', tests: 'running' })[id])).toBe('wait');
    expect(stepReadiness(pipeline, 'report', () => 'succeeded')).toBe('run');
    expect(stepReadiness(pipeline, 'lint', () => undefined)).toBe('run');
  });

  it('skips a step when a need failed (even a tolerated failure), was skipped, cancelled or rejected', () => {
    for (const status of ['failed', 'skipped', 'cancelled', 'rejected', 'timed_out']) {
      expect(stepReadiness(pipeline, 'report', (id) => (id === 'lint' ? status : 'succeeded'))).toBe('skip');
    }
  });

  it('lists what to start and what to skip', () => {
    expect(nextSteps(pipeline, {})).toEqual({ run: ['lint', 'tests'], skip: [] });
    expect(nextSteps(pipeline, { lint: 'failed', tests: 'succeeded' })).toEqual({ run: ['on-lint-failure'], skip: ['report'] });
    expect(nextSteps(pipeline, { lint: 'succeeded', tests: 'succeeded', report: 'running' })).toEqual({ run: ['on-lint-failure'], skip: [] });
  });

  it('refuses an unknown step', () => {
    expect(() => stepReadiness(pipeline, 'nope', () => undefined)).toThrow(/unknown step 'nope'/);
  });

  it('runs a step whose if: uses a status function once its needs finished, however they ended', () => {
    const p = assertValidPipeline({
      name: 's',
      steps: [
        { id: 'a', uses: 'x', onFailure: 'continue' },
        { id: 'b', uses: 'x', needs: ['a'] },
        { id: 'tell', uses: 'notify', needs: ['a', 'b'], if: '${{ failure() }}' },
        { id: 'after', uses: 'x', needs: ['tell'] },
      ],
    });
    expect(stepReadiness(p, 'tell', (id) => ({ a: 'failed' })[id])).toBe('wait');
    for (const status of ['failed', 'skipped', 'cancelled', 'succeeded']) expect(stepReadiness(p, 'tell', () => status)).toBe('run');
    expect(nextSteps(p, { a: 'failed', b: 'skipped' })).toEqual({ run: ['tell'], skip: [] });
    expect(impactOf(p, 'a', 'failed')).toEqual({ skipped: ['b'], reviewFails: false });
  });
});

describe('impactOf', () => {
  it('lists the steps a failure would skip and whether the review fails', () => {
    expect(impactOf(pipeline, 'tests', 'failed')).toEqual({ skipped: ['report', 'on-lint-failure', 'approve', 'merge'], reviewFails: true });
    expect(impactOf(pipeline, 'lint', 'failed')).toEqual({ skipped: ['report', 'approve', 'merge'], reviewFails: false });
  });

  it('lists what a false condition would skip', () => {
    expect(impactOf(pipeline, 'approve', 'skipped')).toEqual({ skipped: ['merge'], reviewFails: false });
    const withCondition = assertValidPipeline({
      name: 'c',
      steps: [
        { id: 'a', uses: 'x' },
        { id: 'b', uses: 'x', needs: ['a'] },
        { id: 'c', uses: 'x', needs: ['a'], if: "steps.a.output.ok" },
      ],
    });
    expect(impactOf(withCondition, 'a', 'skipped').skipped).toEqual(['b', 'c']);
    const loose = assertValidPipeline({
      name: 'd',
      steps: [
        { id: 'a', uses: 'x' },
        { id: 'b', uses: 'x' },
        { id: 'c', uses: 'x', needs: ['b'], if: "steps.b.status == 'succeeded'" },
        { id: 'e', uses: 'x', needs: ['a', 'b'] },
      ],
    });
    expect(impactOf(loose, 'b', 'skipped')).toEqual({ skipped: ['c', 'e'], reviewFails: false });
  });
});

describe('resolveStepSettings', () => {
  it('merges step settings over the pipeline defaults', () => {
    const [lint, tests, , , merge] = pipeline.steps;
    expect(resolveStepSettings(pipeline, tests!)).toEqual({
      priority: 'high',
      retry: { maxAttempts: 5, initialInterval: '1s' },
      timeout: { startToClose: '5m', heartbeat: '30s' },
      onFailure: 'fail',
    });
    expect(resolveStepSettings(pipeline, lint!).onFailure).toBe('continue');
    expect(resolveStepSettings(pipeline, merge!).priority).toBe('critical');
    expect(resolveStepSettings({}, { id: 'x', uses: 'y' })).toEqual({ priority: 'normal', retry: {}, timeout: {}, onFailure: 'fail' });
  });
});
