/** What every scenario gets: the environment, the run mode and unique names. */
import { cpus } from 'node:os';
import type { BenchEnvironment } from './environment';
import type { ScenarioResult } from './report';

/** Settings of single scenarios given on the command line. */
export interface ScenarioOptions {
  /** Size scenario: the step counts to run instead of the mode's. */
  sizeSteps?: number[];
  /** Size scenario: measured replays of each review. */
  replays?: number;
  /** Size scenario: record on the benchmark's own dev server instead of a second one. */
  sizeServer?: 'eager' | 'shared';
  /** Open-reviews scenario: how many reviews to hold open at the gate. */
  openReviews?: number;
}

export interface ScenarioContext {
  env: BenchEnvironment;
  quick: boolean;
  options: ScenarioOptions;
  cores: number;
  /** A task-queue prefix (and workflow-id prefix) no other scenario uses. */
  prefix(name: string): string;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

export function scenarioContext(env: BenchEnvironment, quick: boolean, options: ScenarioOptions = {}): ScenarioContext {
  const stamp = Date.now().toString(36);
  return { env, quick, options, cores: cpus().length, prefix: (name) => `bench-${name}-${stamp}` };
}
