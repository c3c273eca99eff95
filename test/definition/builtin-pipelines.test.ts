import { BUILTIN_EXECUTOR_TYPES } from '../../src/definition/builtin-executors';
import { loadPipelineFile } from '../../src/definition/load';
import { impactOf, planPipeline, stepReadiness } from '../../src/definition/plan';
import { evaluateCondition, interpolate, type ExpressionContext } from '../../src/definition/expressions';
import { buildGraph, dependsOn } from '../../src/definition/graph';
import { resolveParams } from '../../src/definition/templates';
import { resolveStepSettings } from '../../src/definition/settings';
import { isGate } from '../../src/definition/schema';
import { builtinPipelineNames, builtinPipelinePath, loadBuiltinPipeline } from '../../src/pipelines';

describe('built-in pipelines', () => {
  it('are the four shipped reviews', () => {
    expect(builtinPipelineNames()).toEqual(['blog-review', 'feature-integration', 'hotfix', 'pr-review']);
    expect(() => builtinPipelinePath('pr-reveiw')).toThrow("no built-in pipeline 'pr-reveiw': did you mean 'pr-review'?");
  });

  it.each(builtinPipelineNames())('%s passes validation against the built-in executor types, and its params resolve from defaults', (name) => {
    const result = loadPipelineFile(builtinPipelinePath(name), { executorTypes: BUILTIN_EXECUTOR_TYPES });
    if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`).join('\n'));
    expect(result.pipeline.name).toBe(name);
    expect(resolveParams(result.pipeline, {}).ok).toBe(true);
    expect(planPipeline(result.pipeline).order).toHaveLength(result.pipeline.steps.length);
  });

  it('blog-review: five checks in parallel, the author told when one fails, then an editor gate with deadline, reminder and escalation, then publish and notify', () => {
    const p = loadBuiltinPipeline('blog-review');
    const plan = planPipeline(p);
    const checks = ['markdown-lint', 'readability', 'spelling', 'links', 'seo'];
    expect(plan.levels).toEqual([checks, ['tell-author', 'editor-approval'], ['publish'], ['notify']]);
    const tell = p.steps.find((s) => s.id === 'tell-author');
    expect(tell).toMatchObject({ uses: 'notify', needs: checks, if: '${{ failure() }}', onFailure: 'continue' });
    for (const status of ['failed', 'cancelled', 'succeeded']) expect(stepReadiness(p, 'tell-author', (id) => (id === 'spelling' ? status : 'succeeded'))).toBe('run');
    const gate = p.steps.find((s) => s.id === 'editor-approval');
    expect(gate && isGate(gate) && gate.gate).toMatchObject({ deadline: '48h', reminders: ['24h'], escalate: { uses: 'notify' } });
    expect(p.steps.find((s) => s.id === 'publish')?.uses).toBe('http');
    expect(impactOf(p, 'spelling', 'failed').skipped).toEqual(['editor-approval', 'publish', 'notify']);
  });

  it('pr-review: a pull request from a fork waits for a maintainer before anything is checked out; other pull requests go straight on', () => {
    const p = loadBuiltinPipeline('pr-review');
    expect(p.params?.forkApproval).toMatchObject({ type: 'boolean', default: true });
    const gate = p.steps.find((s) => s.id === 'fork-approval');
    expect(gate?.if).toBe('${{ input.fork && params.forkApproval }}');
    expect(gate && isGate(gate) && gate.gate.approvers).toEqual(['role:maintainer']);
    const checkout = p.steps.find((s) => s.id === 'checkout');
    expect(checkout).toMatchObject({ needs: ['fork-approval'], if: '${{ !failure() && !cancelled() }}' });
    const defaults = resolveParams(p, {});
    if (!defaults.ok) throw new Error('the params of pr-review do not resolve');
    const ctx = (fork: boolean | undefined, forkApproval = true) => ({ params: { ...defaults.params, forkApproval }, input: { fork }, steps: {} });
    expect(evaluateCondition(gate?.if ?? '', ctx(true))).toBe(true);
    expect(evaluateCondition(gate?.if ?? '', ctx(false))).toBe(false);
    expect(evaluateCondition(gate?.if ?? '', ctx(undefined))).toBe(false);
    expect(evaluateCondition(gate?.if ?? '', ctx(true, false))).toBe(false);
    // The checkout runs once the gate is settled: approved or skipped, it goes on; after a failure it does not.
    for (const status of ['succeeded', 'skipped']) expect(stepReadiness(p, 'checkout', () => status)).toBe('run');
    expect(evaluateCondition(checkout?.if ?? '', ctx(false))).toBe(true);
    expect(evaluateCondition(checkout?.if ?? '', ctx(true), { success: false, failure: true, cancelled: false })).toBe(false);
    for (const id of ['lint', 'typecheck', 'tests', 'security-scan']) expect(dependsOn(buildGraph(p.steps), id, 'fork-approval')).toBe(true);
    const commands = p.steps.filter((s) => s.uses === 'command' || s.uses === 'checkout').map((s) => s.id);
    for (const id of commands) expect(id === 'checkout' || dependsOn(buildGraph(p.steps), id, 'checkout')).toBe(true);
  });

  it('pr-review: a checkout, four command checks in parallel in its workspace, a report, a maintainer gate, a merge at the reviewed SHA, and GitHub told from the review itself', () => {
    const p = loadBuiltinPipeline('pr-review');
    expect(planPipeline(p).levels[0]).toEqual(['status-pending', 'check-in-progress', 'fork-approval']);
    expect(planPipeline(p).levels[1]).toEqual(['checkout']);
    expect(planPipeline(p).levels[2]).toEqual(['lint', 'typecheck', 'tests', 'security-scan']);
    expect(p.steps.find((s) => s.id === 'checkout')?.with).toMatchObject({ sha: '${{ input.sha }}', token: '${{ secrets.GITHUB_TOKEN }}' });
    for (const id of ['lint', 'typecheck', 'tests', 'security-scan']) {
      const step = p.steps.find((s) => s.id === id);
      expect(step?.uses).toBe('command');
      expect(step?.workspace).toBe('checkout');
      expect(step?.with?.cwd).toBe('${{ steps.checkout.output.path }}');
    }
    expect(p.steps.find((s) => s.id === 'report')?.needs).toEqual(['lint', 'typecheck', 'tests', 'security-scan']);
    expect(planPipeline(p).gates).toEqual(['fork-approval', 'maintainer-approval']);
    expect(p.steps.find((s) => s.id === 'merge')?.with).toMatchObject({ action: 'merge', sha: '${{ input.sha }}' });
    expect(p.finally?.map((a) => a.name)).toEqual(['Final status', 'Final check run']);
    expect(JSON.stringify(p)).not.toMatch(/input\.token/);
  });

  it('pr-review: the final status and check run tell GitHub how the review ended, whether or not the report ran', () => {
    const p = loadBuiltinPipeline('pr-review');
    const status = p.finally?.find((a) => a.name === 'Final status');
    const checkRun = p.finally?.find((a) => a.name === 'Final check run');
    const render = (outcome: string, report: ExpressionContext['steps'][string]) => {
      const ctx: ExpressionContext = {
        params: {},
        input: {},
        steps: { report },
        review: { id: 'r1', pipeline: 'pr-review', outcome, ...(outcome === 'completed' ? {} : { reason: 'the reason' }) },
      };
      const statusWith = interpolate(status?.with, ctx) as Record<string, unknown>;
      const checkRunWith = interpolate(checkRun?.with, ctx) as Record<string, unknown>;
      return { state: statusWith.state, conclusion: checkRunWith.conclusion, description: statusWith.description };
    };
    expect(render('completed', { status: 'succeeded', output: { passed: true } })).toMatchObject({ state: 'success', conclusion: 'success' });
    expect(render('completed', { status: 'succeeded', output: { passed: false } })).toMatchObject({ state: 'failure', conclusion: 'failure' });
    expect(render('completed', { status: 'skipped' })).toMatchObject({ state: 'failure', conclusion: 'failure', description: 'Review completed; checks found problems' });
    expect(render('failed', { status: 'skipped' })).toMatchObject({ state: 'failure', conclusion: 'failure', description: 'Review failed: the reason' });
    expect(render('cancelled', { status: 'cancelled' })).toMatchObject({ state: 'error', conclusion: 'cancelled' });
  });

  it('hotfix: critical priority everywhere, and a deploy with an undo rollback', () => {
    const p = loadBuiltinPipeline('hotfix');
    expect(p.priority).toBe('critical');
    for (const step of p.steps) expect(resolveStepSettings(p, step).priority).toBe('critical');
    const deploy = p.steps.find((s) => s.id === 'deploy');
    expect(deploy?.undo?.uses).toBe('http');
    expect(impactOf(p, 'smoke-test', 'failed')).toEqual({ skipped: ['notify'], reviewFails: true });
  });

  it('feature-integration: impact analysis, then integration tests and compatibility checks in parallel, then a benchmark', () => {
    const p = loadBuiltinPipeline('feature-integration');
    const levels = planPipeline(p).levels;
    expect(levels[0]).toEqual(['impact-analysis']);
    expect(levels[1]).toEqual(['integration-tests', 'api-compatibility', 'dependency-compatibility']);
    expect(levels[2]).toContain('performance-benchmark');
  });

  it('use params and expressions', () => {
    for (const name of builtinPipelineNames()) {
      const p = loadBuiltinPipeline(name);
      expect(Object.keys(p.params ?? {}).length).toBeGreaterThan(0);
      expect(JSON.stringify(p.steps)).toContain('${{ params.');
    }
  });
});
