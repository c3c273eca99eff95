/**
 * The lifecycle property suite: generated cases, each driven in the time-skipping environment and
 * checked against every invariant. `assert` stops at the first violating case and shrinks it (for a
 * bounded time); `survey` runs every case and tallies the violations by invariant.
 */
import fc from 'fast-check';
import { checkRun, type Violation } from './checks';
import { driveCase, DriverError, InconclusiveRun, type DriverContext } from './driver';
import { describeCase, describeObservation, describeViolations } from './format';
import { addTo, exercised } from './exercised';
import { reviewCaseArbitrary } from './generators';
import type { ReviewCase } from './model';
import type { Observation } from './observation';

export interface SuiteOptions {
  seed: number;
  numRuns: number;
  mode: 'assert' | 'survey';
  /** Wall time allowed for shrinking a counterexample once one is found. */
  shrinkBudgetMs: number;
  /** Wall time after which no new case starts (the runs made so far are reported). */
  wallBudgetMs: number;
  log?: (line: string) => void;
  trace?: (line: string) => void;
}

export interface InvariantTally {
  count: number;
  example: string;
}

export interface SuiteReport {
  seed: number;
  runs: number;
  checks: number;
  wallMs: number;
  outcomes: Record<string, number>;
  /** Paths the runs went through (accepted retries, acknowledged decisions, undo runs...). */
  exercised: Record<string, number>;
  violations: Map<string, InvariantTally>;
  /** Set when a case broke an invariant (assert mode): the shrunk case, what it did and what broke. */
  failure?: string;
  /** Cases generated but not run because the wall budget ran out. */
  skipped: number;
  /** Times the time-skipping server was replaced because its clock stopped skipping or it wedged a task. */
  renewals: number;
  /** Runs the test server spoiled (see ./stuck.ts): neither passed nor failed. */
  inconclusive: string[];
}

class PropertyViolation extends Error {
  constructor(
    readonly reviewCase: ReviewCase,
    readonly observation: Observation,
    readonly violations: Violation[],
  ) {
    super(violations.map((v) => `[${v.invariant}] ${v.detail}`).join('\n'));
  }
}

export function counterexampleText(c: ReviewCase, obs: Observation, violations: Violation[]): string {
  return [
    'violated:',
    describeViolations(violations),
    'case:',
    describeCase(c),
    'what happened:',
    describeObservation(obs),
    'case as JSON:',
    `  ${JSON.stringify(c)}`,
  ].join('\n');
}

export async function runLifecycleSuite(ctx: DriverContext, options: SuiteOptions): Promise<SuiteReport> {
  const started = Date.now();
  const report: SuiteReport = { seed: options.seed, runs: 0, checks: 0, wallMs: 0, outcomes: {}, exercised: {}, violations: new Map(), skipped: 0, renewals: 0, inconclusive: [] };
  let shrinkDeadline: number | undefined;
  let driverError: unknown;
  const log = options.log ?? (() => undefined);

  const property = fc.asyncProperty(reviewCaseArbitrary(), async (c) => {
    if (driverError !== undefined) return true;
    if (shrinkDeadline !== undefined && Date.now() > shrinkDeadline) return true;
    if (shrinkDeadline === undefined && Date.now() - started > options.wallBudgetMs) {
      report.skipped += 1;
      return true;
    }
    let obs: Observation;
    try {
      obs = await driveCase({ ...ctx, trace: options.trace }, c);
    } catch (err) {
      if (err instanceof InconclusiveRun) {
        report.inconclusive.push(err.message);
        log(`inconclusive: ${err.message}`);
        await ctx.shared.renew();
        return true;
      }
      if (err instanceof DriverError) {
        driverError = err;
        return true;
      }
      throw err;
    }
    const verdict = checkRun(c, obs);
    report.runs += 1;
    report.checks += verdict.checks;
    report.outcomes[obs.outcome.kind] = (report.outcomes[obs.outcome.kind] ?? 0) + 1;
    addTo(report.exercised, exercised(obs));
    for (const violation of verdict.violations) {
      const tally = report.violations.get(violation.invariant);
      if (tally) tally.count += 1;
      else report.violations.set(violation.invariant, { count: 1, example: counterexampleText(c, obs, verdict.violations) });
    }
    log(`run ${report.runs}: ${obs.outcome.kind}, ${verdict.checks} checks, ${verdict.violations.length} violations, ${obs.wallMs} ms`);
    if (verdict.violations.length > 0 && options.mode === 'assert') {
      shrinkDeadline ??= Date.now() + options.shrinkBudgetMs;
      throw new PropertyViolation(c, obs, verdict.violations);
    }
    return true;
  });

  const details = await fc.check(property, { seed: options.seed, numRuns: options.numRuns });
  report.wallMs = Date.now() - started;
  report.renewals = ctx.shared.renewals;
  if (driverError !== undefined) throw driverError;
  if (details.failed) {
    const error = details.errorInstance;
    report.failure =
      error instanceof PropertyViolation
        ? `${counterexampleText(error.reviewCase, error.observation, error.violations)}\n(shrunk ${details.numShrinks} times; seed ${details.seed}, path ${details.counterexamplePath})`
        : `${String(error)}\ncase: ${JSON.stringify(details.counterexample?.[0])}`;
  }
  return report;
}

/** Runs one given case (for reproducing a counterexample): what happened and what broke. */
export async function replayCase(ctx: DriverContext, c: ReviewCase): Promise<string> {
  const obs = await driveCase(ctx, c);
  const verdict = checkRun(c, obs);
  return `${verdict.checks} checks, ${verdict.violations.length} violations\n${counterexampleText(c, obs, verdict.violations)}`;
}

export function summaryLine(report: SuiteReport): string {
  return `property suite: ${report.runs} runs, ${report.checks} invariant checks, seed ${report.seed}`;
}
