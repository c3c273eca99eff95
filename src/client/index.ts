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
  ScheduleExistsError,
  type ReviewErrorCode,
} from './errors';
export { ReviewEncryptedError } from './encryption';
export { reviewGraphUrl, reviewPageUrl, reviewUiBase, UI_BASE_URL_VARIABLE } from './page-url';
export { loadPipelineSource, preparePipeline, type ExecutorCheckOptions } from './pipeline-source';
export { reviewQuery } from './search';
export type * from './types';
export type {
  Decision,
  DecisionInput,
  FinalActionStatus,
  GateStatus,
  RetryAccepted,
  RetryInput,
  ReviewPhase,
  ReviewState,
  ReviewStatus,
  StateChange,
  StepQueues,
  StepState,
  StepStatus,
  WithdrawInput,
} from '../../workflows/types';
export type { PauseInput } from '../../workflows/messages';
export type { Pipeline, PipelineInput, Priority } from '../definition/schema';
export type { ValidationIssue } from '../definition/issues';
