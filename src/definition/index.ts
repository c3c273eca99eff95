/** The pipeline language, free of Node imports (safe for workflow code). File loading lives in ./load. */
export * from './schema';
export * from './duration';
export * from './expressions';
export * from './graph';
export * from './plan';
export * from './settings';
export * from './issues';
export * from './validate';
export * from './templates';
export * from './render';
export * from './suggest';
export { BUILTIN_EXECUTOR_TYPES, type BuiltinExecutorType } from './builtin-executors';
export {
  checkOutputPath,
  ExecutorCatalogSchema,
  KnownExecutors,
  outputJsonSchema,
  type ExecutorCatalog,
  type ExecutorCatalogEntry,
  type JsonSchema,
  type OutputPathProblem,
} from './executor-catalog';
export { BUILTIN_EXECUTOR_OUTPUTS } from './executor-outputs';
