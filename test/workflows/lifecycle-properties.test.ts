/**
 * Model-based properties of the review lifecycle, against the workflow's public contract only: random
 * small pipelines times random scripts of pause, resume, decisions, cancel and retry, each run in the
 * time-skipping environment and checked against every invariant (test/workflows/properties/checks).
 *
 * The default run uses a fixed seed and a run count sized for about two minutes on two cores.
 * `npm run test:properties` runs longer: PROPERTY_SEED (default random), PROPERTY_RUNS (default 300),
 * PROPERTY_MODE=survey to run every case and tally the violations instead of stopping at the first.
 * PROPERTY_CASE='<case JSON>' replays one case (as printed with a counterexample); PROPERTY_VERBOSE=1
 * prints a line per run, PROPERTY_TRACE=1 every step of the driver.
 *
 * Runs the time-skipping test server spoils (a workflow task it never completes, a current run it loses
 * across continue-as-new) are counted as inconclusive and the server is replaced; see properties/stuck.ts.
 */
import { SharedEnvironment } from './properties/environment';
import type { ReviewCase } from './properties/model';
import { replayCase, runLifecycleSuite, summaryLine, type SuiteOptions } from './properties/suite';
import { loadBundle } from './properties/workers';

const FIXED_SEED = 20_241_123;
const FIXED_RUNS = 45;

function suiteOptions(): SuiteOptions {
  const long = process.env.PROPERTY_LONG === '1';
  const seedText = process.env.PROPERTY_SEED;
  const seed = seedText ? Number(seedText) : long ? Math.floor(Math.random() * 2 ** 31) : FIXED_SEED;
  const runs = Number(process.env.PROPERTY_RUNS ?? (long ? 300 : FIXED_RUNS));
  return {
    seed,
    numRuns: runs,
    mode: process.env.PROPERTY_MODE === 'survey' ? 'survey' : 'assert',
    shrinkBudgetMs: Number(process.env.PROPERTY_SHRINK_MS ?? (long ? 300_000 : 90_000)),
    wallBudgetMs: Number(process.env.PROPERTY_WALL_MS ?? (long ? 6 * 3_600_000 : 360_000)),
    log: process.env.PROPERTY_VERBOSE ? (line) => process.stdout.write(`${line}\n`) : undefined,
    trace: process.env.PROPERTY_TRACE ? (line) => process.stdout.write(`  ${new Date().toISOString()} ${line}\n`) : undefined,
  };
}

const options = suiteOptions();
let shared: SharedEnvironment;

beforeAll(async () => {
  shared = await SharedEnvironment.create();
});
afterAll(async () => {
  await shared?.teardown();
});

const replay = process.env.PROPERTY_CASE;

(replay ? it : it.skip)('replays the case in PROPERTY_CASE (JSON, as printed with a counterexample)', async () => {
  const c = JSON.parse(replay ?? '{}') as ReviewCase;
  process.stdout.write(`${await replayCase({ shared, bundle: loadBundle(), trace: options.trace }, c)}\n`);
}, 600_000);

(replay ? it.skip : it)(
  'keeps every lifecycle invariant for random pipelines and message scripts',
  async () => {
    process.stdout.write(`property suite starting: seed ${options.seed}, up to ${options.numRuns} cases, mode ${options.mode}\n`);
    const report = await runLifecycleSuite({ shared, bundle: loadBundle() }, options);
    const lines = [
      summaryLine(report),
      `  wall ${(report.wallMs / 1000).toFixed(1)} s; outcomes ${JSON.stringify(report.outcomes)}${report.skipped ? `; ${report.skipped} cases skipped (wall budget)` : ''}${report.renewals ? `; test server renewed ${report.renewals}x` : ''}${report.inconclusive.length ? `; ${report.inconclusive.length} runs inconclusive (test server wedged)` : ''}`,
    ];
    lines.push(`  exercised ${Object.entries(report.exercised).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const [invariant, tally] of report.violations) lines.push(`  violated ${invariant}: ${tally.count}x`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (options.mode === 'survey') {
      for (const [invariant, tally] of report.violations) process.stdout.write(`\n=== ${invariant} (${tally.count}x), first example:\n${tally.example}\n`);
    }
    if (report.inconclusive.length * 2 > report.runs + report.inconclusive.length) {
      throw new Error(`most runs were inconclusive, the suite proves nothing: ${report.inconclusive.slice(0, 3).join(' | ')}`);
    }
    if (report.failure) throw new Error(`a lifecycle invariant broke (seed ${report.seed}):\n${report.failure}`);
    if (options.mode === 'survey' && report.violations.size > 0) throw new Error(`${report.violations.size} invariants broke (seed ${report.seed}); see the output above`);
  },
  (options.wallBudgetMs + options.shrinkBudgetMs) * 1.5 + 120_000,
);
