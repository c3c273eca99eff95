// Tests never read or write the executor catalog of the machine they run on
// (~/.local/share/review-orchestrator/executors.json): a test that wants one names its own file.
process.env.REVIEW_EXECUTOR_CATALOG ??= 'off';
