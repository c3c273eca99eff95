/**
 * Issue 14 item 4 on the page: a check that succeeded but found problems is drawn red with
 * "⚠ found problems" beside its state (which still says succeeded), a passed one green with "✔ passed",
 * a neutral one as before; statuses without `verdict` (older workers) get it derived from state and output.
 */
import { graphSteps } from '../../src/ui/graph-view';
import type { GraphLayout } from '../../src/ui/layout';
import { stepDetails } from '../../src/ui/pages/step-details';
import { liveStep } from '../../src/ui/step-view';
import { GRAPH_CSS, renderGraphSvg } from '../../src/ui/svg';
import type { ReviewStatus, StepStatus } from '../../workflows/types';

function step(id: string, extra: Partial<StepStatus> = {}): StepStatus {
  return { id, kind: 'task', uses: 'echo', needs: [], priority: 'normal', state: 'succeeded', attempts: 1, durationMs: 1200, ...extra };
}

const STEPS: StepStatus[] = [
  step('lint', { verdict: 'found_problems', output: { passed: false, findings: [{ severity: 'error', message: 'bad' }] } }),
  step('spelling', { verdict: 'passed', output: { passed: true } }),
  step('checkout', { verdict: 'neutral', output: { sha: 'abc' } }),
  // From a worker older than the field: no verdict, derived from the output.
  step('links', { output: { findings: [{ severity: 'error', message: 'dead link' }] } }),
  step('typos', { output: { findings: [{ severity: 'warning', message: 'maybe' }] } }),
  step('build', { state: 'running', attempts: 1, durationMs: undefined }),
];

function svgOf(steps: StepStatus[]): string {
  const layout: GraphLayout = {
    width: 220,
    height: steps.length * 80,
    nodes: steps.map((s, i) => ({ id: s.id, x: 10, y: i * 80, width: 200, height: 64 })),
    edges: [],
    computedMs: 0,
  };
  const status = { reviewId: 'r1', steps } as unknown as ReviewStatus;
  return renderGraphSvg(layout, graphSteps(status));
}

function box(svg: string, id: string): string {
  const match = new RegExp(`<g class="[^"]*" data-step="${id}"[\\s\\S]*?</g>`).exec(svg);
  if (!match) throw new Error(`no box for ${id}`);
  return match[0];
}

const text = (fragment: string, cls: string) => new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`).exec(fragment)?.[1];
const classes = (fragment: string) => /<g class="([^"]*)"/.exec(fragment)?.[1]?.split(' ') ?? [];

describe('verdicts on the review page', () => {
  const svg = svgOf(STEPS);

  test('a check that found problems is red and says so in words and a symbol, its state still succeeded', () => {
    const lint = box(svg, 'lint');
    expect(text(lint, 'state')).toBe('✓ succeeded');
    expect(text(lint, 'verdict')).toBe('⚠ found problems');
    expect(classes(lint)).toEqual(expect.arrayContaining(['st-succeeded', 'v-found_problems']));
    expect(lint).toContain('data-verdict="found_problems"');
    expect(lint).toContain('verdict: found problems');
    // The red wins over the state's green.
    expect(GRAPH_CSS).toMatch(/\.dag \.step\.v-found_problems rect \{[^}]*#c5221f/);
  });

  test('passed is green with its word; neutral and unfinished steps are drawn as before', () => {
    const spelling = box(svg, 'spelling');
    expect(text(spelling, 'verdict')).toBe('✔ passed');
    expect(classes(spelling)).toContain('v-passed');
    expect(GRAPH_CSS).toMatch(/\.dag \.step\.v-passed rect \{[^}]*#1e8e3e/);
    for (const id of ['checkout', 'build']) {
      const b = box(svg, id);
      expect(text(b, 'verdict')).toBe('');
      expect(classes(b).some((c) => c.startsWith('v-'))).toBe(false);
    }
    expect(box(svg, 'build')).not.toContain('data-verdict');
  });

  test('a status without a verdict gets it from its output', () => {
    expect(text(box(svg, 'links'), 'verdict')).toBe('⚠ found problems');
    expect(classes(box(svg, 'links'))).toContain('v-found_problems');
    expect(text(box(svg, 'typos'), 'verdict')).toBe('✔ passed');
    expect(liveStep(STEPS[3]!)).toMatchObject({ state: 'succeeded', verdict: 'found_problems', verdictLabel: '⚠ found problems' });
    expect(liveStep(STEPS[5]!)).not.toHaveProperty('verdict');
  });

  test('the details panel shows the verdict beside the state', () => {
    const lint = stepDetails(STEPS[0]!, {}).text;
    expect(lint).toMatch(/<span class="badge">✓ succeeded<\/span> <span class="badge verdict vd-found_problems"[^>]*>⚠ found problems<\/span>/);
    expect(lint).toContain('<dt>verdict</dt><dd>found problems</dd>');
    expect(stepDetails(STEPS[1]!, {}).text).toContain('vd-passed');
    const old = stepDetails(STEPS[3]!, {}).text;
    expect(old).toContain('<dt>verdict</dt><dd>found problems</dd>');
    const checkout = stepDetails(STEPS[2]!, {}).text;
    expect(checkout).not.toContain('badge verdict');
    expect(checkout).toContain('<dt>verdict</dt><dd>neutral</dd>');
    expect(stepDetails(STEPS[5]!, {}).text).not.toContain('<dt>verdict</dt>');
  });
});
