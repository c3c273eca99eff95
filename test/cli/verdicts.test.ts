// Verdicts beside states: derived from a step's state and output, shown by `review status`, and
// never `passed` for a check that ran and found problems.
import { renderStatus, verdictOf } from '../../src/cli/render/status';
import { stepVerdict } from '../../src/definition/verdict';
import type { ReviewStatus, StepStatus } from '../../workflows/types';

const step = (id: string, patch: Partial<StepStatus> = {}): StepStatus => ({
  id,
  kind: 'task',
  needs: [],
  priority: 'normal',
  state: 'succeeded',
  attempts: 1,
  ...patch,
});

const review = (steps: StepStatus[]): ReviewStatus => ({
  reviewId: 'pr-7',
  pipeline: 'pr-review',
  priority: 'normal',
  state: 'completed',
  progress: { done: steps.length, total: steps.length, percent: 100 },
  startedAt: '2024-01-01T00:00:00.000Z',
  endedAt: '2024-01-01T00:00:10.000Z',
  steps,
  decisions: [],
  transitions: [],
  continuedAsNew: 0,
});

describe('step verdicts', () => {
  test.each([
    ['a check that passed', { output: { passed: true, findings: [] } }, 'passed'],
    ['a check that ran and found problems', { output: { passed: false, findings: [{ line: 1, rule: 'r', message: 'm', severity: 'error' }] }, summary: 'failed; 2 findings' }, 'found_problems'],
    ['a command that exited 1 within okExitCodes', { output: { exitCode: 1, passed: false } }, 'found_problems'],
    ['findings without `passed`, one an error', { output: { findings: [{ severity: 'warning' }, { severity: 'error' }] } }, 'found_problems'],
    ['findings without `passed`, warnings only', { output: { findings: [{ severity: 'warning' }] } }, 'passed'],
    ['an output cut to fit the budget keeps `passed`', { output: { $truncated: 'cut', passed: false } }, 'found_problems'],
    ['a step with nothing to judge (checkout, notify)', { output: { path: '/w', sha: 'abc' } }, 'neutral'],
    ['a step without output', {}, 'neutral'],
    ['a failed step', { state: 'failed', error: 'exit 2' }, 'found_problems'],
    ['a step that succeeded through its fallback', { viaFallback: true, output: { note: 'fallback' } }, 'found_problems'],
    ['a fallback whose output passed', { viaFallback: true, output: { passed: true } }, 'passed'],
    ['a skipped step', { state: 'skipped', output: { passed: false } }, 'neutral'],
    ['a cancelled step', { state: 'cancelled' }, 'neutral'],
    ['an approved gate', { kind: 'gate', output: { outcome: 'approved' } }, 'neutral'],
    ['a rejected gate', { kind: 'gate', state: 'failed' }, 'neutral'],
    ['a running step', { state: 'running', output: { passed: false } }, undefined],
    ['a gate awaiting approval', { kind: 'gate', state: 'awaiting_approval' }, undefined],
  ] as const)('%s', (_, patch, verdict) => {
    expect(stepVerdict(step('s', patch as Partial<StepStatus>))).toBe(verdict);
  });

  test('a `${{ steps.x }}` result (status and output) is judged the same way', () => {
    expect(stepVerdict({ status: 'succeeded', output: { passed: false } })).toBe('found_problems');
    expect(stepVerdict({ status: 'skipped' })).toBe('neutral');
  });

  test('the verdict the workflow gave wins; statuses of older workers are judged here', () => {
    expect(verdictOf(step('a', { verdict: 'passed', output: { passed: false } }))).toBe('passed');
    expect(verdictOf(step('b', { output: { passed: false } }))).toBe('found_problems');
  });
});

describe('review status shows verdicts', () => {
  const status = review([
    step('checkout', { output: { path: '/w' }, verdict: 'neutral' }),
    step('lint', { output: { passed: false }, summary: 'failed; 2 findings (2 errors)', verdict: 'found_problems' }),
    step('tests', { output: { passed: true }, verdict: 'passed' }),
    step('typecheck', { output: { passed: false } }),
    step('approval', { kind: 'gate', state: 'skipped', skippedReason: 'condition was false', verdict: 'neutral' }),
  ]);

  test('a VERDICT column beside STATE, in words', () => {
    const text = renderStatus(status, { now: Date.parse('2024-01-01T00:00:10.000Z') });
    expect(text).toMatch(/STEP\s+STATE\s+VERDICT\s+ATTEMPTS/);
    expect(text).toMatch(/lint\s+succeeded\s+found problems\s+1\s/);
    expect(text).toMatch(/tests\s+succeeded\s+passed\s+1\s/);
    expect(text).toMatch(/checkout\s+succeeded\s+neutral\s+1\s/);
    expect(text).toMatch(/approval\s+skipped\s+neutral/);
    // Derived for a status without the field (a worker older than verdicts).
    expect(text).toMatch(/typecheck\s+succeeded\s+found problems/);
  });

  test('the steps that found problems are named under the header', () => {
    const text = renderStatus(status);
    expect(text).toContain('found problems: lint, typecheck');
    expect(renderStatus(review([step('ok', { output: { passed: true } })]))).not.toContain('found problems');
  });

  test('the review page, when given', () => {
    expect(renderStatus(status, { pageUrl: 'https://reviews.example.com/reviews/pr-7' })).toContain('page https://reviews.example.com/reviews/pr-7');
    expect(renderStatus(status)).not.toContain('page ');
  });
});
