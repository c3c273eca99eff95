/** The pull-request webhook: GitHub `pull_request` and `pull_request_review` events in, reviews started, cancelled and decided. */
export { createWebhookServer, decodeDelivery, IGNORED_ACTION_REASONS, type WebhookReviewClient, type WebhookServer, type WebhookServerOptions } from './server';
export { signBody, verifySignature } from './signature';
export {
  CANCELLING_ACTIONS,
  DEFAULT_API_URL,
  parsePullRequestEvent,
  parsePullRequestReviewEvent,
  pullRequestInfo,
  pullRequestKey,
  REVIEWED_ACTIONS,
  reviewIdFor,
  reviewIdPrefix,
  reviewInputFor,
  type PullRequestInfo,
} from './payload';
export { main, webhookConfig, WebhookConfigSchema, type WebhookConfig } from './main';
