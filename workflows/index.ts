// Workflow entry point loaded by workers: every workflow the project registers is exported here.
export { reviewWorkflow } from './review';
