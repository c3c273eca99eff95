/** The one way in for other services: start, steer, watch and list reviews. */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { isGrpcDeadlineError, WorkflowFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  approveUpdate,
  cancelReasonSignal,
  pauseSignal,
  rejectUpdate,
  resumeSignal,
  retryUpdate,
  statusQuery,
  withdrawSignal,
  type PauseInput,
} from '../../workflows/messages';
import type { GateStatus, RetryAccepted, RetryInput, ReviewStatus, StepQueues, WithdrawInput } from '../../workflows/types';
import { DirectoryError, resolveRoles, type Directory } from '../directory/directory';
import { grpcCause, GRPC_STATUS, InvalidRequestError, mapped, mapTemporalError, NotAllowedError, ReviewAlreadyFinishedError, ReviewConflictError, ReviewError } from './errors';
import { outcomeOfStatus, readFailure, statusFromSummary } from './outcome';
import { reviewPageUrl } from './page-url';
import { overlayPending, pendingSteps } from './pending-steps';
import { preparePipeline, type ExecutorCheckOptions } from './pipeline-source';
import { createReviewSchedule, deleteReviewSchedule, listReviewSchedules } from './schedules';
import { reviewQuery, summaryOf } from './search';
import { clientCanDecode, encryptedError, encryptedKeyOf } from './encryption';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { Payload } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { planStart } from './start-options';
import { REVIEW_WORKFLOW_TYPE } from '../../workflows/messages';
import type {
  CreateScheduleOptions,
  DecideOptions,
  ListOptions,
  PipelineSource,
  ReviewDescription,
  ReviewFilter,
  ReviewResult,
  ReviewScheduleSummary,
  ReviewSummary,
  StartedReview,
  StartReviewOptions,
  WatchOptions,
} from './types';

export interface ReviewClientOptions extends ExecutorCheckOptions {
  /** Default task queue prefix for reviews this client starts (default `review`). */
  taskQueuePrefix?: string;
  /** Where the steps of reviews this client starts run (default `workflow`; `tiers` for per-tier step queues). */
  stepQueues?: StepQueues;
  /** How long a status query waits for a worker to answer (default 10 s). */
  queryTimeoutMs?: number;
  /**
   * The directory of approvers (REVIEW_DIRECTORY_FILE). With one, a decision's roles come from it: roles a
   * caller claims must all be ones it gives `by`, and a decision without roles gets the directory's.
   * Without one, the roles a caller claims are taken as given (the trusting mode, for a single team).
   */
  directory?: Directory;
}

/** No worker answered in time: the review is fine, but nothing is polling its task queue. */
export class ReviewUnavailableError extends ReviewError {
  /**
   * `sent`: the request that is not confirmed (a decision, a retry), which a worker may still take up later.
   * `version`: the worker deployment version the review is pinned to, whose workers alone can answer.
   */
  constructor(reviewId: string, taskQueue: string | undefined, sent?: string, version?: string) {
    const where = taskQueue ? `task queue '${taskQueue}'` : 'its task queue';
    const queue = version ? `is a worker of version ${version}, which the review is pinned to, polling ${where}?` : `is a worker polling ${where}?`;
    const unconfirmed = sent
      ? `, so the ${sent} is not confirmed: a worker checks it when it picks the review up, and applies it only if it still fits then (a decision for a gate that has not opened by then is refused: send it with hold to keep it), ${queue} (check with the review's status)`
      : `; ${queue}`;
    super('unavailable', `review '${reviewId}': no worker answered within the timeout${unconfirmed}`, reviewId);
  }
}

const START_TOKEN = 'reviewStartToken';
const REQUEST_KEYS = 'reviewRequestKeys';
const MAX_REQUEST_KEYS = 50;
const REQUEST_TIME = 'reviewRequestTime';
/** Closed states a review may be started again from, with `restartIfCancelled`. */
const RESTARTABLE = new Set(['CANCELLED', 'TERMINATED']);
/** Closed states a review may also be started again from, with `restartIfFailed`. */
const RESTARTABLE_IF_FAILED = new Set(['FAILED', 'TIMED_OUT']);

/**
 * Other ways the server says no worker took a query up: CANCELLED ("Call cancelled") at the deadline instead of
 * DEADLINE_EXCEEDED, and FAILED_PRECONDITION "no poller seen for task queue recently" once its workers have been
 * gone for a while.
 */
export function noWorkerAnswered(error: unknown): boolean {
  return grpcCause(error, GRPC_STATUS.CANCELLED) !== undefined || /no poller seen/i.test(grpcCause(error, GRPC_STATUS.FAILED_PRECONDITION)?.message ?? '');
}

/** `deployment:build` of the version a review is pinned to, if it is. */
export function pinnedVersionOf(description: WorkflowExecutionDescription): string | undefined {
  const info = description.raw.workflowExecutionInfo?.versioningInfo;
  const version = info?.versioningOverride?.pinned?.version ?? info?.deploymentVersion;
  const pinned = info?.behavior === temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED || info?.versioningOverride?.pinned != null;
  return pinned && version?.deploymentName && version.buildId ? `${version.deploymentName}:${version.buildId}` : undefined;
}

/** A memo field holding a string, decoded; undefined when absent or unreadable. */
async function decodedString(converter: Client['options']['loadedDataConverter'], payload: Payload | null | undefined): Promise<string | undefined> {
  if (!payload) return undefined;
  try {
    const value = await decodeFromPayloadsAtIndex(converter, 0, [payload]);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The request keys a review's runs were started with, oldest first. */
function requestKeysOf(memo: Record<string, unknown> | undefined): string[] {
  const stored = memo?.[REQUEST_KEYS];
  return Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : [];
}

export class ReviewClient {
  private readonly ownsConnection: boolean;

  constructor(
    readonly temporal: Client,
    private readonly options: ReviewClientOptions & { ownsConnection?: boolean } = {},
  ) {
    this.ownsConnection = options.ownsConnection ?? false;
  }

  get namespace(): string {
    return this.temporal.options.namespace;
  }

  private executorCheck(): ExecutorCheckOptions {
    return {
      ...(this.options.executorCatalog !== undefined ? { executorCatalog: this.options.executorCatalog } : {}),
      ...(this.options.strictExecutors !== undefined ? { strictExecutors: this.options.strictExecutors } : {}),
    };
  }

  /** The task queue prefix and step queues of a review this client starts: `options`', else the client's. */
  private queues(options: Pick<ReviewClientOptions, 'taskQueuePrefix' | 'stepQueues'>): Pick<ReviewClientOptions, 'taskQueuePrefix' | 'stepQueues'> {
    const taskQueuePrefix = options.taskQueuePrefix ?? this.options.taskQueuePrefix;
    const stepQueues = options.stepQueues ?? this.options.stepQueues;
    return { ...(taskQueuePrefix !== undefined ? { taskQueuePrefix } : {}), ...(stepQueues !== undefined ? { stepQueues } : {}) };
  }

  private handle(reviewId: string): WorkflowHandle {
    return this.temporal.workflow.getHandle(reviewId);
  }

  /**
   * Everything `startReview` checks before it asks Temporal anything (pipeline, params, inputs, id, queue settings),
   * without starting: throws the same typed errors. A dry run.
   */
  checkStart(pipelineSource: PipelineSource, input: Record<string, unknown> = {}, options: StartReviewOptions = {}): void {
    this.planReview(pipelineSource, input, options);
  }

  private planReview(pipelineSource: PipelineSource, input: Record<string, unknown>, options: StartReviewOptions) {
    const { pipeline, params, input: checkedInput } = preparePipeline(pipelineSource, options.params, input, this.executorCheck());
    const plan = planStart({
      pipeline,
      params,
      input: checkedInput,
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
      ...(options.subject !== undefined ? { subject: options.subject } : {}),
      ...this.queues(options),
      ...(options.retryWindow !== undefined ? { retryWindow: options.retryWindow } : {}),
    });
    if (options.id !== undefined && options.id.trim() === '') throw new InvalidRequestError('the review id is empty: give one, or leave it out for a generated one');
    return { plan, reviewId: options.id ?? `${pipeline.name}-${randomUUID().slice(0, 8)}` };
  }

  /** Validates the pipeline and params, then starts the review; an id already in use returns that review. */
  async startReview(pipelineSource: PipelineSource, input: Record<string, unknown> = {}, options: StartReviewOptions = {}): Promise<StartedReview> {
    const { plan, reviewId } = this.planReview(pipelineSource, input, options);
    // With REVIEW_UI_BASE_URL set, the review links to its page from its current details in the Web UI.
    const pageUrl = reviewPageUrl(reviewId);
    if (pageUrl !== undefined) plan.input.pageUrl = pageUrl;
    const start = async (reusePolicy: 'ALLOW_DUPLICATE' | 'ALLOW_DUPLICATE_FAILED_ONLY' | 'REJECT_DUPLICATE', earlierKeys: string[] = []): Promise<StartedReview> => {
      const keys = options.requestKey !== undefined ? [...earlierKeys, options.requestKey].slice(-MAX_REQUEST_KEYS) : earlierKeys;
      const token = randomUUID();
      const handle = await this.temporal.workflow.start(REVIEW_WORKFLOW_TYPE, {
        workflowId: reviewId,
        taskQueue: plan.taskQueue,
        priority: plan.temporalPriority,
        args: [plan.input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: reusePolicy,
        typedSearchAttributes: plan.typedSearchAttributes,
        staticSummary: plan.staticSummary,
        staticDetails: plan.staticDetails,
        memo: { [START_TOKEN]: token, ...(keys.length > 0 ? { [REQUEST_KEYS]: keys } : {}), ...(options.requestTime !== undefined ? { [REQUEST_TIME]: options.requestTime } : {}) },
      });
      const runId = handle.firstExecutionRunId;
      const described = await handle.describe().catch(() => undefined);
      const existing = described !== undefined && described.memo?.[START_TOKEN] !== token;
      if (!existing || options.requestKey === undefined) return { reviewId, runId, existing };
      return { reviewId, runId, existing, repeat: requestKeysOf(described?.memo).at(-1) === options.requestKey };
    };
    try {
      return await start(options.restartIfClosed ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE');
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw mapTemporalError(error, reviewId);
    }
    const described = await mapped(reviewId, () => this.handle(reviewId).describe());
    const earlierKeys = requestKeysOf(described.memo);
    const sameRequest = options.requestKey !== undefined && earlierKeys.includes(options.requestKey);
    const restartable = RESTARTABLE.has(described.status.name) || (options.restartIfFailed === true && RESTARTABLE_IF_FAILED.has(described.status.name));
    if (options.restartIfCancelled && restartable && !sameRequest) {
      try {
        // Only a cancelled or terminated run (or, asked for, a failed one) may be followed by a new one; a completed run stands.
        // The new run keeps the keys of the runs before it, so a repeat of any earlier request starts nothing.
        return await start('ALLOW_DUPLICATE_FAILED_ONLY', earlierKeys);
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw mapTemporalError(error, reviewId);
      }
      const again = await mapped(reviewId, () => this.handle(reviewId).describe());
      return {
        reviewId,
        runId: again.runId,
        existing: true,
        ...(again.status.name !== 'RUNNING' ? { closed: true } : {}),
        ...(options.requestKey !== undefined ? { repeat: requestKeysOf(again.memo).at(-1) === options.requestKey } : {}),
      };
    }
    return { reviewId, runId: described.runId, existing: true, closed: true, ...(options.requestKey !== undefined ? { repeat: earlierKeys.at(-1) === options.requestKey } : {}) };
  }

  /**
   * Runs `fn` with every Temporal call in it bounded by `ms` milliseconds: a gRPC deadline, and an abort at
   * the same moment for what a deadline does not cover (retries of an unreachable server, a lazy connect).
   */
  async withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
    const { connection } = this.temporal;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      return await connection.withAbortSignal(controller.signal, () => connection.withDeadline(Date.now() + ms, fn));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `fn`, rethrowing a failure to decrypt the review's payloads as a ReviewEncryptedError naming the key id. */
  private async readable<T>(reviewId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw (await encryptedError(this.temporal, reviewId, error)) ?? error;
    }
  }

  /** The review as the server sees it; a ReviewEncryptedError when it is encrypted with a key this client lacks. */
  async describe(reviewId: string): Promise<ReviewDescription> {
    return this.readable(reviewId, async () => {
      const handle = this.handle(reviewId);
      const description = await mapped(reviewId, () => handle.describe());
      return this.toDescription(handle, description);
    });
  }

  private async toDescription(handle: WorkflowHandle, description: WorkflowExecutionDescription): Promise<ReviewDescription> {
    const summary = summaryOf(description);
    const out: ReviewDescription = {
      ...summary,
      historyLength: description.historyLength,
      pendingSteps: await pendingSteps(handle, description, this.temporal.options.loadedDataConverter),
    };
    const requestTime = description.memo?.[REQUEST_TIME];
    if (typeof requestTime === 'string') out.requestTime = requestTime;
    const meta = await description.staticSummary?.().catch(() => undefined);
    const details = await description.staticDetails?.().catch(() => undefined);
    if (meta) out.summary = meta;
    if (details) out.details = details;
    return out;
  }

  /** The review's live status: the workflow's own view, brought up to date with the server's pending activities. */
  async getStatus(reviewId: string): Promise<ReviewStatus> {
    return (await this.statusAndClosed(reviewId)).status;
  }

  private async statusAndClosed(reviewId: string): Promise<{ status: ReviewStatus; closed: boolean }> {
    return this.readable(reviewId, () => this.readStatus(reviewId));
  }

  private async readStatus(reviewId: string): Promise<{ status: ReviewStatus; closed: boolean }> {
    const handle = this.handle(reviewId);
    const description = await mapped(reviewId, () => handle.describe());
    if (description.status.name !== 'RUNNING') return { status: await this.result(reviewId), closed: true };
    const status = await this.queryStatus(handle, reviewId, description.taskQueue);
    const pending = await pendingSteps(handle, description, this.temporal.options.loadedDataConverter).catch(() => []);
    return { status: overlayPending(status, pending), closed: false };
  }

  private queryStatus(handle: WorkflowHandle, reviewId: string, taskQueue: string): Promise<ReviewStatus> {
    return mapped(reviewId, () => this.answered(reviewId, () => handle.query(statusQuery), { taskQueue }));
  }

  /** Yields the status each time it changes; ends once the review has closed. */
  async *watch(reviewId: string, options: WatchOptions = {}): AsyncGenerator<ReviewStatus, void, undefined> {
    const interval = options.intervalMs ?? 1000;
    let last = '';
    for (;;) {
      const { status, closed } = await this.statusAndClosed(reviewId);
      const key = JSON.stringify(status);
      if (key !== last) {
        last = key;
        yield status;
      }
      if (closed || options.signal?.aborted) return;
      try {
        await delay(interval, undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        return;
      }
    }
  }

  async pause(reviewId: string, input: PauseInput = {}): Promise<void> {
    await mapped(reviewId, () => this.handle(reviewId).signal(pauseSignal, input));
  }

  async resume(reviewId: string, input: PauseInput = {}): Promise<void> {
    await mapped(reviewId, () => this.handle(reviewId).signal(resumeSignal, input));
  }

  /** The decision with its roles checked against, or filled in from, the directory (when there is one). */
  private withDirectoryRoles(reviewId: string, decision: DecideOptions): DecideOptions {
    const directory = this.options.directory;
    if (!directory) return decision;
    let roles: string[];
    try {
      roles = resolveRoles(directory, decision.by, decision.roles);
    } catch (error) {
      if (error instanceof DirectoryError) throw new NotAllowedError(reviewId, error.message);
      throw error;
    }
    const { roles: _claimed, ...rest } = decision;
    return roles.length > 0 ? { ...rest, roles } : rest;
  }

  /** Approves an open gate; with a directory, `roles` are checked against it (or taken from it when omitted). */
  async approve(reviewId: string, decision: DecideOptions): Promise<GateStatus> {
    const checked = this.withDirectoryRoles(reviewId, decision);
    return mapped(reviewId, () => this.answered(reviewId, () => this.handle(reviewId).executeUpdate(approveUpdate, { args: [checked] }), { sent: 'decision' }));
  }

  /** Rejects an open gate; roles as for `approve`. */
  async reject(reviewId: string, decision: DecideOptions): Promise<GateStatus> {
    const checked = this.withDirectoryRoles(reviewId, decision);
    return mapped(reviewId, () => this.answered(reviewId, () => this.handle(reviewId).executeUpdate(rejectUpdate, { args: [checked] }), { sent: 'decision' }));
  }

  /**
   * Takes back `by`'s approval that has not decided its gate yet: one held until the gate opens, or one of several
   * a gate still waits for (GitHub: the review was dismissed). A decision that settled its gate stands. A signal:
   * the review's notices say what was taken back.
   */
  async withdraw(reviewId: string, input: WithdrawInput): Promise<void> {
    if (input.by.trim() === '') throw new InvalidRequestError('withdraw: "by" is empty: name the person whose approval is taken back');
    await mapped(reviewId, () => this.handle(reviewId).signal(withdrawSignal, input));
  }

  /**
   * A query or update that a worker must answer, bounded by the query timeout: without a worker, Temporal holds
   * the call open for as long as it waits for one. `sent`: the update, which is then not confirmed.
   */
  private async answered<T>(reviewId: string, call: () => Promise<T>, about: { sent?: string; taskQueue?: string } = {}): Promise<T> {
    try {
      return await this.temporal.connection.withDeadline(Date.now() + (this.options.queryTimeoutMs ?? 10_000), call);
    } catch (error) {
      if (!isGrpcDeadlineError(error) && !(error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) && !noWorkerAnswered(error)) throw error;
      const described = await this.handle(reviewId)
        .describe()
        .catch(() => undefined);
      throw new ReviewUnavailableError(reviewId, about.taskQueue ?? described?.taskQueue, about.sent, described && pinnedVersionOf(described));
    }
  }

  /** The directory decisions are checked against, if any. */
  get directory(): Directory | undefined {
    return this.options.directory;
  }

  /** Re-runs a failed review's failed steps (or everything from `from` on); the review must still be open. */
  async retry(reviewId: string, input: RetryInput = {}): Promise<RetryAccepted> {
    try {
      return await mapped(reviewId, () => this.answered(reviewId, () => this.handle(reviewId).executeUpdate(retryUpdate, { args: [input] }), { sent: 'retry' }));
    } catch (error) {
      if (!(error instanceof ReviewAlreadyFinishedError)) throw error;
      const state = await this.handle(reviewId)
        .describe()
        .then((d) => summaryOf(d).state ?? d.status.name.toLowerCase())
        .catch(() => 'closed');
      throw new ReviewConflictError(
        reviewId,
        `only a failed review waiting for a retry can be retried; this one has already finished (${state}). A review started with a retry window (retryWindow; review start --retry-window 1h) waits that long after failing`,
      );
    }
  }

  async cancel(reviewId: string, reason?: string, by?: string): Promise<void> {
    await mapped(reviewId, async () => {
      const description = await this.handle(reviewId).describe();
      if (description.status.name !== 'RUNNING') throw new ReviewAlreadyFinishedError(reviewId, summaryOf(description).state ?? description.status.name.toLowerCase());
      // The review says why it was cancelled only if told before the request: Temporal keeps the request's reason to itself.
      if (reason !== undefined || by !== undefined) await this.handle(reviewId).signal(cancelReasonSignal, { ...(reason !== undefined ? { reason } : {}), ...(by !== undefined ? { by } : {}) });
      await this.temporal.workflowService.requestCancelWorkflowExecution({
        namespace: this.namespace,
        identity: this.temporal.options.identity,
        requestId: randomUUID(),
        workflowExecution: { workflowId: reviewId },
        ...(reason !== undefined ? { reason } : {}),
      });
    });
  }

  /** Waits for the review to close and returns its final status, whatever the outcome. */
  async result(reviewId: string): Promise<ReviewResult> {
    return this.readable(reviewId, () => this.readResult(reviewId));
  }

  private async readResult(reviewId: string): Promise<ReviewResult> {
    const handle = this.handle(reviewId);
    try {
      const status = (await handle.result()) as ReviewStatus;
      return { ...status, outcome: outcomeOfStatus(status) };
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw mapTemporalError(error, reviewId);
      const reading = readFailure(error);
      if (reading.kind === 'status') return reading.result;
      const description = await mapped(reviewId, () => handle.describe());
      const summary = summaryOf(description);
      if (reading.kind === 'cancelled') {
        const status = await this.queryStatus(handle, reviewId, description.taskQueue).catch(() => statusFromSummary(summary, reviewId, 'cancelled'));
        return { ...status, state: 'cancelled', outcome: 'cancelled' };
      }
      return { ...statusFromSummary(summary, reviewId, 'failed', reading.message), outcome: reading.outcome };
    }
  }

  /**
   * Reviews matching the filter, in Temporal's visibility order (open reviews first, then the most recently closed). Visibility is eventually consistent. Reads only what the server
   * indexes (search attributes, times, status), so reviews encrypted with a key this client lacks are listed
   * too, marked `encrypted` with the `keyId` they need and `keyMissing`.
   */
  async list(options: ListOptions = {}): Promise<ReviewSummary[]> {
    const { limit = 100, ...filter } = options;
    const out: ReviewSummary[] = [];
    if (limit <= 0) return out;
    const { namespace } = this;
    const converter = this.temporal.options.loadedDataConverter;
    let nextPageToken: Uint8Array | undefined;
    do {
      const response = await this.temporal.workflowService.listWorkflowExecutions({
        namespace,
        query: reviewQuery(filter),
        pageSize: Math.min(limit, 1000),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      for (const raw of response.executions) {
        // A spread copies own properties only: protobuf's defaults (historyLength 0 of a running review) live on the
        // prototype, and the SDK's helper reads historyLength unconditionally.
        const historyLength = raw.historyLength ?? ({ toNumber: () => 0 } as unknown as NonNullable<typeof raw.historyLength>);
        const info = await executionInfoFromRaw({ ...raw, memo: null, historyLength }, converter, raw, namespace);
        const summary = summaryOf(info);
        const memo = Object.values(raw.memo?.fields ?? {}) as Payload[];
        const keyId = encryptedKeyOf(memo);
        if (keyId !== undefined) {
          summary.encrypted = true;
          if (keyId !== '') summary.keyId = keyId;
          if (!(await clientCanDecode(this.temporal, memo))) summary.keyMissing = true;
        }
        const requestTime = summary.keyMissing ? undefined : await decodedString(converter, raw.memo?.fields?.[REQUEST_TIME]);
        if (requestTime !== undefined) summary.requestTime = requestTime;
        out.push(summary);
        if (out.length >= limit) return out;
      }
      nextPageToken = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    } while (nextPageToken);
    return out;
  }

  async count(filter: ReviewFilter = {}): Promise<number> {
    return (await this.temporal.workflow.count(reviewQuery(filter))).count;
  }

  createSchedule(options: CreateScheduleOptions): Promise<{ scheduleId: string }> {
    return createReviewSchedule(this.temporal, { ...options, ...this.queues(options) }, this.executorCheck());
  }

  listSchedules(): Promise<ReviewScheduleSummary[]> {
    return listReviewSchedules(this.temporal);
  }

  deleteSchedule(scheduleId: string): Promise<void> {
    return deleteReviewSchedule(this.temporal, scheduleId);
  }

  /** Closes the connection if this client opened it. */
  async close(): Promise<void> {
    if (this.ownsConnection) await this.temporal.connection.close();
  }
}

