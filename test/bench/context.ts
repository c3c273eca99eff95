/** What every scenario gets: the environment, the run mode and unique names. */
import { cpus } from 'node:os';
import type { BenchEnvironment } from './environment';
import type { ScenarioResult } from './report';

export interface ScenarioContext {
  env: BenchEnvironment;
  quick: boolean;
  cores: number;
  /** A task-queue prefix (and workflow-id prefix) no other scenario uses. */
  prefix(name: string): string;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

export function scenarioContext(env: BenchEnvironment, quick: boolean): ScenarioContext {
  const stamp = Date.now().toString(36);
  return { env, quick, cores: cpus().length, prefix: (name) => `bench-${name}-${stamp}` };
}
