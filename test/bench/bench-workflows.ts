// Entry point of the benchmark's workflow bundle: the project's workflows plus the hand-written baseline.
export * from '../../workflows';
export * from './hand-written-workflows';
