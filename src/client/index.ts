/** The review client: how other services, the CLI and the webhook start and steer reviews. */
export { connectReviewClient, resolveConnection, type ConnectReviewClientOptions, type ResolvedConnection } from './connect';
export { ReviewClient, ReviewUnavailableError, type ReviewClientOptions } from './review-client';
export {
  GateNotOpenError,
  InvalidPipelineError,
  InvalidRequestError,
  NotAllowedError,
  ReviewAlreadyFinishedError,
  ReviewConflictError,
  ReviewError,
  ReviewNotFoundError,
  type ReviewErrorCode,
} from './errors';
export { ReviewEncryptedError } from './encryption';
export { reviewGraphUrl, reviewPageUrl, reviewUiBase, UI_BASE_URL_VARIABLE } from './page-url';
export { loadPipelineSource, preparePipeline, type ExecutorCheckOptions } from './pipeline-source';
export { reviewQuery } from './search';
export type * from './types';
export type { GateStatus, ReviewState, ReviewStatus, StepStatus, WithdrawInput } from '../../workflows/types';
