/** The pull-request webhook: GitHub `pull_request` events in, reviews started, commit statuses out. */
export { createWebhookServer, type WebhookServer, type WebhookServerOptions } from './server';
export { signBody, verifySignature } from './signature';
export { parsePullRequestEvent, pullRequestInfo, reviewIdFor, reviewInputFor, type PullRequestInfo } from './payload';
export { finalStatus, postCommitStatus, STATUS_CONTEXT, type CommitState, type CommitStatus } from './commit-status';
export { main } from './main';
