// Entry point of the workflow bundle used by tests: the project's workflows plus test-only ones.
export * from '../../workflows';
export * from './fixture-workflows';
