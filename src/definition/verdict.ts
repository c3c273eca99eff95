/**
 * What a step found, beside its state: a check that ran to the end and found errors has the state
 * `succeeded` (it did its job) but the verdict `found_problems`, so no one reads it as passed.
 * Derived from the step's state and output alone, the same way in the workflow (status query, Web UI
 * details), the CLI and the github executor (check-run conclusions). Pure code: the workflow sandbox loads it.
 *
 * - `passed`: the step succeeded and its output says it passed (`passed: true`, or findings without an error).
 * - `found_problems`: the step failed, or succeeded with `passed: false` or with error findings, or
 *   succeeded only through its fallback without an output that says it passed.
 * - `neutral`: nothing to judge: gates, skipped and cancelled steps, and steps whose output has no
 *   `passed` or `findings` (a checkout, a notification, an echo).
 * - none yet: the step has not finished.
 */

export const STEP_VERDICTS = ['passed', 'found_problems', 'neutral'] as const;
export type StepVerdict = (typeof STEP_VERDICTS)[number];

/** How the verdicts read for people (CLI, Web UI details, check-run summaries). */
export const VERDICT_LABEL: Record<StepVerdict, string> = {
  passed: 'passed',
  found_problems: 'found problems',
  neutral: 'neutral',
};

/** What a verdict is read from: a step's status (workflows/types StepStatus) or a step result as `${{ steps.x }}` gives it. */
export interface VerdictSource {
  /** The step's state (`succeeded`, `failed`, …); `status` in a `${{ steps.x }}` result. */
  state?: string;
  status?: string;
  kind?: 'task' | 'gate';
  output?: unknown;
  viaFallback?: boolean;
}

const UNFINISHED = new Set(['pending', 'scheduled', 'running', 'retrying', 'awaiting_approval']);
const SUCCEEDED = new Set(['succeeded', 'completed', 'passed']);
const NOTHING_TO_JUDGE = new Set(['skipped', 'cancelled']);

/** Whether the output itself says how the check went: `passed`, else error findings; undefined when it says nothing. */
export function outputVerdict(output: unknown): 'passed' | 'found_problems' | undefined {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return undefined;
  const record = output as Record<string, unknown>;
  if (typeof record.passed === 'boolean') return record.passed ? 'passed' : 'found_problems';
  if (Array.isArray(record.findings)) {
    const hasError = record.findings.some(
      (f) => typeof f === 'object' && f !== null && (f as Record<string, unknown>).severity === 'error',
    );
    return hasError ? 'found_problems' : 'passed';
  }
  return undefined;
}

/** The verdict of a step, or undefined while it has not finished. */
export function stepVerdict(step: VerdictSource): StepVerdict | undefined {
  const state = (step.state ?? step.status ?? '').toLowerCase();
  if (UNFINISHED.has(state)) return undefined;
  if (step.kind === 'gate') return 'neutral';
  if (NOTHING_TO_JUDGE.has(state)) return 'neutral';
  if (!SUCCEEDED.has(state)) return state === '' ? undefined : 'found_problems';
  const fromOutput = outputVerdict(step.output);
  if (fromOutput) return fromOutput;
  return step.viaFallback ? 'found_problems' : 'neutral';
}
