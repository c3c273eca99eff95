// Jest setup file: when the run collects workflow coverage, every Temporal worker created in this
// test file reports it (see workflow-coverage.ts).
import { Worker } from '@temporalio/worker';
import { collectWorkflowCoverage, WORKFLOW_COVERAGE_DIR_ENV } from './workflow-coverage';

const dir = process.env[WORKFLOW_COVERAGE_DIR_ENV];
if (dir) collectWorkflowCoverage(Worker, dir);
