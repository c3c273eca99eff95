export { defineExecutor, StepError, type Executor, type ExecutorContext, type ExecutorDefinition } from './executor';
export { ExecutorRegistry, createRegistry, type ExecutorDescription } from './registry';
export { createActivities, type ActivitiesOptions, type ReviewActivities } from './run-step';
export { activityLogger, childFor, createActivityLogger, REDACT_PATHS } from './logger';
export { builtinExecutors } from './executors';
export type { CheckOutput, Finding } from './executors/checks/content';
export type { CommandOutput } from './executors/command';
export type * from './types';
