/**
 * `npm run bench [-- --quick] [--only overhead,latency,priority,size,open-reviews,review-page] [--sqlite] [--profile]
 *   [--steps 100,500] [--replays 5] [--size-server eager|shared] [--reviews 10000]`
 * Runs the scenarios against a dev server of its own and writes test/bench/results/latest.{json,md}.
 * `--steps`, `--replays` and `--size-server` set the size scenario's step counts, measured replays per
 * review, and the server it records on (see scenarios/size.ts); `--reviews` how many reviews the open-reviews
 * scenario holds open.
 */
import { cpus, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { temporalCliPath } from '../../temporal-dev/servers';
import { scenarioContext, type Scenario, type ScenarioOptions } from './context';
import { startBenchEnvironment } from './environment';
import { printScenario, writeReport, type BenchReport, type ScenarioResult } from './report';
import { latencyScenario } from './scenarios/latency';
import { openReviewsScenario } from './scenarios/open-reviews';
import { overheadScenario } from './scenarios/overhead';
import { priorityScenario } from './scenarios/priority';
import { reviewPageScenario } from './scenarios/review-page';
import { sizeScenario } from './scenarios/size';

const SCENARIOS: Scenario[] = [overheadScenario, latencyScenario, priorityScenario, sizeScenario, openReviewsScenario, reviewPageScenario];
const RESULTS_DIR = join(__dirname, 'results');

interface Args {
  quick: boolean;
  only: string[] | undefined;
  sqlite: boolean;
  profile: boolean;
  options: ScenarioOptions;
}

const USAGE = '[--quick] [--only NAMES] [--sqlite] [--profile] [--steps 100,500] [--replays N] [--size-server eager|shared] [--reviews N]';

function positiveInts(text: string | undefined, flag: string): number[] {
  const values = (text ?? '').split(',').filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${flag} takes positive whole numbers separated by commas, not ${text}`);
  return values;
}

/** `--name value` or `--name=value`. */
function valueOf(argv: string[], i: number, name: string): { value: string | undefined; next: number } | undefined {
  const arg = argv[i] as string;
  if (arg === name) return { value: argv[i + 1], next: i + 1 };
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), next: i };
  return undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: undefined, sqlite: false, profile: false, options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const steps = valueOf(argv, i, '--steps');
    const replays = valueOf(argv, i, '--replays');
    const server = valueOf(argv, i, '--size-server');
    const reviews = valueOf(argv, i, '--reviews');
    if (reviews) {
      args.options.openReviews = positiveInts(reviews.value, '--reviews')[0];
      i = reviews.next;
    } else if (steps) {
      args.options.sizeSteps = positiveInts(steps.value, '--steps');
      i = steps.next;
    } else if (replays) {
      args.options.replays = positiveInts(replays.value, '--replays')[0];
      i = replays.next;
    } else if (server) {
      if (server.value !== 'eager' && server.value !== 'shared') throw new Error(`--size-server is eager or shared, not ${server.value}`);
      args.options.sizeServer = server.value;
      i = server.next;
    } else if (arg === '--quick') args.quick = true;
    else if (arg === '--sqlite') args.sqlite = true;
    else if (arg === '--profile') args.profile = true;
    else if (arg === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg?.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',').filter(Boolean);
    else throw new Error(`unknown argument ${arg}; usage: run.ts ${USAGE}; scenarios: ${SCENARIOS.map((s) => s.name).join(',')}`);
  }
  const unknown = (args.only ?? []).filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return args;
}

function serverDescription(storage: string): string {
  const cli = temporalCliPath();
  const version = cli ? basename(dirname(cli)) : 'temporal CLI';
  return `${version} dev server, ${storage}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const profileDir = args.profile ? join(RESULTS_DIR, 'profiles') : undefined;
  const env = await startBenchEnvironment({ sqlite: args.sqlite, ...(profileDir ? { profileDir } : {}) });
  const ctx = scenarioContext(env, args.quick, args.options);
  const results: ScenarioResult[] = [];
  const report = (): BenchReport => ({
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    mode: args.quick ? 'quick' : 'full',
    machine: {
      cores: ctx.cores,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      temporalSdk: (require('@temporalio/worker/package.json') as { version: string }).version,
      server: serverDescription(env.storage),
    },
    scenarios: results,
  });
  process.stdout.write(`benchmarks (${args.quick ? 'quick' : 'full'}) on ${ctx.cores} cores against ${env.address} (${env.storage})\n`);
  try {
    for (const scenario of SCENARIOS) {
      if (args.only && !args.only.includes(scenario.name)) continue;
      const began = Date.now();
      const result = await scenario.run(ctx).catch(
        (err: unknown): ScenarioResult => ({
          name: scenario.name,
          title: scenario.name,
          conditions: { cores: ctx.cores },
          figures: [{ figure: 'scenario failed', value: err instanceof Error ? err.message : String(err), met: false }],
        }),
      );
      result.conditions.seconds = Math.round((Date.now() - began) / 1000);
      results.push(result);
      printScenario(result);
      writeReport(report(), RESULTS_DIR);
    }
  } finally {
    await env.close();
  }
  const files = writeReport(report(), RESULTS_DIR);
  process.stdout.write(`\nwrote ${files.json} and ${files.md} in ${report().durationSeconds} s\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
