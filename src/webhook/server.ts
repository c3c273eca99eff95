/**
 * The pull-request webhook: verifies GitHub's signature, starts one review per pull request head,
 * cancels a pull request's reviews when it is closed, turned into a draft or pushed to (superseded),
 * and turns GitHub review approvals into gate decisions. It keeps nothing in memory between
 * deliveries: everything it does is an idempotent call on Temporal, bounded by a short deadline, so a
 * redelivery does the same thing again or nothing. Reporting the outcome back to GitHub is the
 * review's own business (its steps), not the webhook's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { InvalidPipelineError, ReviewError } from '../client/errors';
import type { ReviewClient } from '../client/review-client';
import type { DecideOptions, PipelineSource, ReviewSummary, StartReviewOptions } from '../client/types';
import { DirectoryError, type Directory } from '../directory/directory';
import { HttpError, readBody, sendJson } from '../http/json-http';
import {
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
  WEBHOOK_INPUTS,
  type PullRequestEvent,
  type PullRequestInfo,
} from './payload';
import { verifySignature } from './signature';

/** What the webhook needs of the review client (a ReviewClient, or a stand-in in tests). */
export type WebhookReviewClient = Pick<ReviewClient, 'startReview' | 'cancel' | 'list' | 'approve' | 'reject' | 'withdraw'> & Partial<Pick<ReviewClient, 'checkStart' | 'getStatus'>> & {
  /** Bounds every Temporal call made inside `fn` (ReviewClient has it). */
  withDeadline?<T>(ms: number, fn: () => Promise<T>): Promise<T>;
};

export interface WebhookServerOptions {
  /** The secret configured on the GitHub webhook. */
  secret: string;
  client: WebhookReviewClient;
  /** Pipeline to run (default: the built-in `pr-review`). */
  pipeline?: PipelineSource;
  /** Extra start options (priority, params, task queue prefix). */
  reviewOptions?: Omit<StartReviewOptions, 'id' | 'tenant' | 'subject' | 'requestKey' | 'requestTime' | 'restartIfCancelled' | 'restartIfFailed' | 'restartIfClosed'>;
  /** Adds to the review input, e.g. a `checkout` directory prepared for the pull request. */
  prepareInput?: (pr: PullRequestInfo) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The REST API base given to reviews as `apiUrl` (default https://api.github.com; GitHub Enterprise: https://host/api/v3). */
  apiUrl?: string;
  /** Review draft pull requests too (default false: drafts are reviewed once marked ready). */
  reviewDrafts?: boolean;
  /** Roles of GitHub logins for approvals from `pull_request_review` events; without it a login holds no role. */
  directory?: Directory;
  /** The page of a review, given to it as `input.detailsUrl` (the link GitHub shows beside the status or check run). */
  detailsUrl?: (reviewId: string) => string;
  /** The gate a GitHub approval decides (default: the review's single open gate). */
  gateStep?: string;
  /** Everything a delivery asks of Temporal must answer within this long, or the delivery gets 503 (default 2000 ms). */
  deadlineMs?: number;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  logger?: Logger;
}

export interface WebhookServer {
  server: Server;
  /** Listens and resolves with the bound address, e.g. `http://127.0.0.1:8787`. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Temporal did not answer in time, or could not be reached. */
class UnavailableError extends Error {}

/** Why each ignored `pull_request` action changes nothing, for replies, logs and the README. */
export const IGNORED_ACTION_REASONS: Record<string, string> = {
  assigned: 'assignees do not change the code under review',
  unassigned: 'assignees do not change the code under review',
  labeled: 'labels do not change the code under review',
  unlabeled: 'labels do not change the code under review',
  locked: 'locking the conversation does not change the code under review',
  unlocked: 'locking the conversation does not change the code under review',
  review_requested: 'requesting a reviewer does not change the code; approvals arrive as pull_request_review events',
  review_request_removed: 'requesting a reviewer does not change the code; approvals arrive as pull_request_review events',
  edited: 'a new title, body or base branch does not change the head commit under review',
  milestoned: 'milestones do not change the code under review',
  demilestoned: 'milestones do not change the code under review',
  auto_merge_enabled: 'auto-merge settings do not change the code under review',
  auto_merge_disabled: 'auto-merge settings do not change the code under review',
  enqueued: 'the merge queue does not change the code under review',
  dequeued: 'the merge queue does not change the code under review',
};

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The JSON document of a delivery, sent as `application/json` or as `application/x-www-form-urlencoded` (`payload=<JSON>`). */
export function decodeDelivery(body: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase();
  let text: string;
  if (type === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(body.toString('utf8')).get('payload');
    if (payload === null) throw new HttpError(400, 'form-encoded delivery without a payload= field; set the webhook content type to application/json, or send payload=<JSON>');
    text = payload;
  } else if (type === 'application/json' || type === '') {
    text = body.toString('utf8');
  } else {
    throw new HttpError(415, `content type ${type} is not supported; set the webhook content type to application/json or application/x-www-form-urlencoded`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, `body is not JSON${type === 'application/x-www-form-urlencoded' ? ' (in the payload= field)' : ''}`);
  }
}

const isGone = (error: unknown): boolean => error instanceof ReviewError && (error.code === 'not_found' || error.code === 'already_finished');

export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const logger = options.logger ?? pino({ name: 'review-webhook' });
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const deadlineMs = options.deadlineMs ?? 2000;
  const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
  const { client } = options;

  /** Runs `fn` with Temporal's gRPC deadline set, and gives up a little after it whatever happens. */
  async function bounded<T>(fn: () => Promise<T>): Promise<T> {
    const run = client.withDeadline ? client.withDeadline(deadlineMs, fn) : fn();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnavailableError(`Temporal did not answer within ${deadlineMs} ms`)), deadlineMs + 250);
    });
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Cancels every open review of the pull request but `except`: those whose ids this delivery can derive
   * (visibility is eventually consistent, so a review started a moment ago may not be listed yet), and
   * those Temporal's visibility lists for the pull request. Returns the ids a cancel was requested for.
   */
  async function cancelReviews(pr: PullRequestInfo, reason: string, derived: string[], except?: string, alreadyListed?: ReviewSummary[]): Promise<string[]> {
    const prefix = reviewIdPrefix(pr);
    const listed = alreadyListed ?? (await openReviews(pr));
    const ids = [...new Set([...derived, ...listed.map((r) => r.reviewId).filter((id) => id.startsWith(prefix))])].filter((id) => id !== except);
    const cancelled: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        try {
          await client.cancel(id, reason);
          cancelled.push(id);
        } catch (error) {
          if (!isGone(error)) throw error;
        }
      }),
    );
    cancelled.sort();
    if (cancelled.length > 0) logger.info({ pr: pullRequestKey(pr), cancelled, reason }, 'reviews cancelled');
    return cancelled;
  }

  /** The review waits at a gate with nothing else in flight (read from its status; false when that cannot be known now). */
  async function waitsForApproval(reviewId: string): Promise<boolean> {
    if (!client.getStatus) return false;
    try {
      const status = await bounded(() => client.getStatus!(reviewId));
      const busy = status.steps.some((s) => ['scheduled', 'running', 'retrying'].includes(s.state));
      return status.phase === 'running' && !busy && status.steps.some((s) => s.state === 'awaiting_approval');
    } catch (error) {
      logger.info({ reviewId, reason: error instanceof Error ? error.message : String(error) }, 'merged pull request: the review of its head is left to finish');
      return false;
    }
  }

  const openReviews = (pr: PullRequestInfo) => client.list({ subject: pullRequestKey(pr), tenant: pr.fullName, open: true, limit: 100 });

  /**
   * Open reviews of the pull request started for a later event than this one's: then this delivery (late, or
   * redelivered) is about an older head, which must neither be reviewed nor supersede them.
   */
  function newerThan(pr: PullRequestInfo, listed: ReviewSummary[], reviewId: string): ReviewSummary[] {
    const eventMs = pr.updatedAt !== undefined ? Date.parse(pr.updatedAt) : Number.NaN;
    if (!Number.isFinite(eventMs)) return [];
    const prefix = reviewIdPrefix(pr);
    return listed.filter((r) => r.reviewId.startsWith(prefix) && r.reviewId !== reviewId && r.requestTime !== undefined && Date.parse(r.requestTime) > eventMs);
  }

  async function startReview(event: PullRequestEvent, pr: PullRequestInfo, delivery: string | undefined): Promise<Reply> {
    const reviewId = reviewIdFor(pr);
    const input = {
      ...reviewInputFor(pr),
      ...(options.detailsUrl ? { detailsUrl: options.detailsUrl(reviewId) } : {}),
      ...(await options.prepareInput?.(pr)),
    };
    const startOptions: StartReviewOptions = {
      ...options.reviewOptions,
      id: reviewId,
      tenant: pr.fullName,
      subject: pullRequestKey(pr),
      restartIfCancelled: true,
      // Closing and reopening a pull request re-runs a review that failed (a missing secret, GitHub down too long).
      ...(event.action === 'reopened' ? { restartIfFailed: true } : {}),
      ...(delivery !== undefined ? { requestKey: delivery } : {}),
      ...(pr.updatedAt !== undefined ? { requestTime: pr.updatedAt } : {}),
    };
    // Settings that refuse every review are reported as such (500) before Temporal is asked anything.
    client.checkStart?.(options.pipeline ?? 'pr-review', input, startOptions);
    const listed = await bounded(() => openReviews(pr));
    const newer = newerThan(pr, listed, reviewId);
    if (newer.length > 0) {
      const reason = `a later event started the review of a newer head (${newer.map((r) => r.reviewId).join(', ')}); this delivery, about ${pr.headSha} as of ${pr.updatedAt}, is older and changes nothing`;
      logger.info({ delivery, action: event.action, pr: pullRequestKey(pr), newer: newer.map((r) => r.reviewId) }, 'pull_request event about an older head ignored');
      return { status: 202, body: { ignored: `action ${event.action}`, reason, newer: newer.map((r) => r.reviewId) } };
    }
    const started = await bounded(() => client.startReview(options.pipeline ?? 'pr-review', input, startOptions));
    // Only the delivery that started this review (or a redelivery of it) supersedes the others: a late
    // delivery about an older head finds its review closed and must not cancel the newer one.
    const current = !started.closed && (!started.existing || started.repeat === true);
    const derived = event.action === 'synchronize' && event.before && event.before !== pr.headSha ? [reviewIdFor({ ...pr, headSha: event.before })] : [];
    const superseded = current ? await bounded(() => cancelReviews(pr, `superseded by ${pr.headSha}`, derived, reviewId, listed)) : [];
    logger.info(
      { delivery, reviewId, runId: started.runId, existing: started.existing, closed: started.closed === true, superseded, pr: pullRequestKey(pr) },
      started.existing ? 'review already exists' : 'review started',
    );
    return {
      status: 202,
      body: { action: 'review', reviewId: started.reviewId, runId: started.runId, existing: started.existing, ...(started.closed ? { closed: true } : {}), superseded },
    };
  }

  async function handlePullRequest(data: unknown, delivery: string | undefined): Promise<Reply> {
    const parsed = parsePullRequestEvent(data);
    if (!parsed.ok) throw new HttpError(400, `not a valid pull_request event: ${parsed.reason}`);
    const { event } = parsed;
    const pr = pullRequestInfo(event, { apiUrl });
    const action = event.action;
    const ignore = (reason: string): Reply => {
      logger.info({ delivery, action, pr: pullRequestKey(pr), reason }, 'pull_request event ignored');
      return { status: 202, body: { ignored: `action ${action}`, reason } };
    };
    if ((REVIEWED_ACTIONS as readonly string[]).includes(action)) {
      if (pr.state === 'closed') return ignore('the pull request is closed');
      if (pr.draft && !options.reviewDrafts) {
        if (action !== 'synchronize') return ignore('draft pull requests are reviewed once marked ready for review (REVIEW_WEBHOOK_REVIEW_DRAFTS=true reviews them too)');
        // A push to a draft: nothing is reviewed, but no review of an older head may go on.
        const derived = event.before && event.before !== pr.headSha ? [reviewIdFor({ ...pr, headSha: event.before })] : [];
        const superseded = await bounded(() => cancelReviews(pr, `superseded by ${pr.headSha}`, derived));
        return { status: 202, body: { ignored: `action ${action}`, reason: 'draft pull requests are reviewed once marked ready for review', superseded } };
      }
      return startReview(event, pr, delivery);
    }
    if ((CANCELLING_ACTIONS as readonly string[]).includes(action)) {
      if (action === 'converted_to_draft' && options.reviewDrafts) return ignore('drafts are reviewed (REVIEW_WEBHOOK_REVIEW_DRAFTS=true), so the review goes on');
      const reason = action === 'converted_to_draft' ? 'pull request converted to draft' : pr.merged ? 'pull request merged' : 'pull request closed';
      const headId = reviewIdFor(pr);
      // A merge may be the review's own last step: the review of the merged head finishes by itself, unless it
      // waits for an approval (merged by a person, then): waiting there it cannot be merging.
      const except = action === 'closed' && pr.merged && !(await waitsForApproval(headId)) ? headId : undefined;
      const cancelled = await bounded(() => cancelReviews(pr, reason, except ? [] : [headId], except));
      return { status: 202, body: { action: 'cancel', reason, cancelled } };
    }
    return ignore(IGNORED_ACTION_REASONS[action] ?? 'this action does not change the code under review');
  }

  /**
   * A dismissed GitHub review takes back the approval it gave while that approval has not decided the gate
   * (held until the gate opens, or one of several the gate needs), as GitHub drops it from the pull request.
   */
  async function withdrawDismissed(pr: PullRequestInfo, by: string, delivery: string | undefined): Promise<Reply> {
    const reviewId = reviewIdFor(pr);
    try {
      await bounded(() => client.withdraw(reviewId, { by, reason: 'review dismissed on GitHub', ...(options.gateStep !== undefined ? { step: options.gateStep } : {}) }));
    } catch (error) {
      if (!isGone(error)) throw error;
      logger.info({ delivery, reviewId, by }, 'dismissed review: no open review of that head');
      return { status: 202, body: { ignored: 'pull_request_review dismissed', reviewId, reason: 'no open review of that head' } };
    }
    logger.info({ delivery, reviewId, by }, 'dismissed review: approval withdrawn unless it already decided the gate');
    return { status: 200, body: { action: 'withdraw', reviewId, by } };
  }

  async function handleReview(data: unknown, delivery: string | undefined): Promise<Reply> {
    const parsed = parsePullRequestReviewEvent(data);
    if (!parsed.ok) throw new HttpError(400, `not a valid pull_request_review event: ${parsed.reason}`);
    const { event } = parsed;
    const pr = pullRequestInfo(event, { apiUrl });
    const by = event.review.user.login;
    const state = event.review.state.toLowerCase();
    const ignore = (reason: string): Reply => {
      logger.info({ delivery, action: event.action, state, by, pr: pullRequestKey(pr), reason }, 'pull_request_review event ignored');
      return { status: 202, body: { ignored: `pull_request_review ${event.action}${event.action === 'submitted' ? ` (${state})` : ''}`, reason } };
    };
    if (event.action === 'dismissed') return withdrawDismissed(pr, by, delivery);
    if (event.action !== 'submitted') return ignore('only submitted reviews decide a gate');
    const reviewed = event.review.commit_id;
    if (reviewed !== undefined && reviewed.toLowerCase() !== pr.headSha.toLowerCase()) {
      return ignore(`the review was submitted on commit ${reviewed}, not on the head under review (${pr.headSha}): it decides nothing about this head; review the current head`);
    }
    if (state === 'commented') return ignore('a comment approves nothing and rejects nothing');
    if (state !== 'approved' && state !== 'changes_requested') return ignore(`review state ${state} decides nothing`);
    const verdict = state === 'approved' ? 'approve' : 'reject';
    const reviewId = reviewIdFor(pr);
    let roles: string[] = [];
    if (options.directory) {
      try {
        roles = options.directory.rolesOf(by);
      } catch (error) {
        logger.error({ delivery, err: error }, 'the directory of approvers cannot be read; fix REVIEW_DIRECTORY_FILE and redeliver');
        return { status: 500, body: { error: 'the directory of approvers cannot be read; see the webhook log', delivery: delivery ?? null } };
      }
    }
    const comment = [event.review.body?.trim(), event.review.html_url].filter((part): part is string => Boolean(part)).join('\n').slice(0, 2000);
    // An approval given while the checks still run is kept until the gate opens, as GitHub keeps it on the PR.
    const decision: DecideOptions = {
      by,
      hold: true,
      ...(options.gateStep !== undefined ? { step: options.gateStep } : {}),
      ...(roles.length > 0 ? { roles } : {}),
      ...(comment ? { comment } : {}),
    };
    try {
      const gate = await bounded(() => (verdict === 'approve' ? client.approve(reviewId, decision) : client.reject(reviewId, decision)));
      logger.info({ delivery, reviewId, by, roles, verdict, outcome: gate.outcome }, 'gate decision from GitHub');
      return {
        status: 200,
        body: { action: verdict, reviewId, by, roles, ...(gate.outcome ? { outcome: gate.outcome } : {}), approvals: gate.approvals.length, required: gate.required },
      };
    } catch (error) {
      // No worker answered: not a refusal, so GitHub shows a failed delivery to redeliver (a repeated approval counts once).
      if (error instanceof ReviewError && error.code !== 'invalid_pipeline' && error.code !== 'unavailable') {
        logger.warn({ delivery, reviewId, by, roles, verdict, reason: error.message }, 'gate decision from GitHub refused');
        return { status: 202, body: { ignored: `pull_request_review submitted (${state})`, reviewId, reason: error.message } };
      }
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, context: { delivery?: string; event?: string }): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path !== '/' && path !== '/webhook') return sendJson(res, 404, { error: 'not found; GitHub deliveries go to POST /webhook' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    const body = await readBody(req, limit);
    if (!verifySignature(options.secret, body, header(req, 'x-hub-signature-256'))) {
      logger.warn({ delivery: context.delivery }, 'rejected a delivery with a missing or bad signature');
      return sendJson(res, 401, { error: 'missing or invalid X-Hub-Signature-256: the body must be signed with the webhook secret (HMAC-SHA256)' });
    }
    const event = context.event;
    const data = decodeDelivery(body, header(req, 'content-type'));
    if (event === 'ping') {
      const ping = (data ?? {}) as { zen?: unknown; hook_id?: unknown };
      logger.info({ delivery: context.delivery, hook: ping.hook_id }, 'ping');
      return sendJson(res, 200, { ok: true, event: 'ping', ...(typeof ping.hook_id === 'number' ? { hookId: ping.hook_id } : {}) });
    }
    let reply: Reply;
    if (event === 'pull_request') reply = await handlePullRequest(data, context.delivery);
    else if (event === 'pull_request_review') reply = await handleReview(data, context.delivery);
    else reply = { status: 202, body: { ignored: `event ${event ?? '(none)'}`, reason: 'this webhook handles pull_request and pull_request_review events' } };
    sendJson(res, reply.status, reply.body);
  }

  const server = createServer((req, res) => {
    const context = { delivery: header(req, 'x-github-delivery'), event: header(req, 'x-github-event') };
    handle(req, res, context).catch((error: unknown) => {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      if (error instanceof ReviewError && error.code === 'invalid_pipeline') {
        // The sender did nothing wrong: the pipeline (or the inputs it declares) does not fit what this webhook
        // gives a review. Nothing was started; once the pipeline is fixed, a redelivery starts the review.
        const issues = error instanceof InvalidPipelineError ? error.issues : [];
        logger.error(
          { ...context, err: error, issues },
          `the pipeline configured for this webhook refused the review (an invalid pipeline, or inputs the webhook does not give: it gives ${WEBHOOK_INPUTS.join(', ')}); fix it and redeliver`,
        );
        return sendJson(res, 500, {
          error: 'the review pipeline configured for this webhook refused the review (invalid, or declaring inputs the webhook does not give); nothing was started. See the webhook log, fix the pipeline and redeliver.',
          issues,
          delivery: context.delivery ?? null,
        });
      }
      if (error instanceof ReviewError && error.code === 'invalid_request') {
        logger.error({ ...context, err: error }, `this webhook's settings refused the review: ${error.message}; fix them and redeliver`);
        return sendJson(res, 500, {
          error: "this webhook's settings refused the review; nothing was started. See the webhook log, fix the settings and redeliver.",
          delivery: context.delivery ?? null,
        });
      }
      // Temporal unreachable, too slow, or failing: nothing internal goes back to the caller, the log says what to redeliver.
      logger.error(
        { ...context, err: error },
        `could not reach Temporal: redeliver delivery ${context.delivery ?? '(no X-GitHub-Delivery header)'} from the webhook's Recent Deliveries once it is back`,
      );
      sendJson(res, 503, {
        error: 'the review service is unavailable right now; nothing was started or changed by this delivery that a redelivery would not do again. Redeliver it later.',
        delivery: context.delivery ?? null,
      });
    });
  });

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${address.address}:${address.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
