// `node -r` preload of the worker processes tests start (see worker-process.ts), after
// ts-node/register: with workflow coverage on, the process's workers report it like the test
// processes' do (see workflow-coverage.ts). Plain JavaScript and a no-op off the main thread, because
// Node runs preloads again in every worker thread, which includes each workflow thread.
'use strict';
const { isMainThread } = require('node:worker_threads');

const dir = process.env.REVIEW_WORKFLOW_COVERAGE_DIR;
if (isMainThread && dir) {
  const { Worker } = require('@temporalio/worker');
  const { collectWorkflowCoverage } = require('./workflow-coverage');
  collectWorkflowCoverage(Worker, dir);
}
