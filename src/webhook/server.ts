/**
 * The pull-request webhook: verifies GitHub's signature, starts one review per pull request head,
 * and reports the outcome back as a commit status (pending at start, final when the review ends).
 */
import { HttpError, readBody, sendJson } from '../http/json-http';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { ReviewClient } from '../client/review-client';
import type { PipelineSource, StartReviewOptions } from '../client/types';
import { finalStatus, postCommitStatus, type CommitStatus, type StatusApi } from './commit-status';
import { parsePullRequestEvent, pullRequestInfo, REVIEWED_ACTIONS, reviewIdFor, reviewInputFor, type PullRequestInfo } from './payload';
import { verifySignature } from './signature';

export interface WebhookServerOptions {
  /** The secret configured on the GitHub webhook. */
  secret: string;
  client: ReviewClient;
  /** Base URL of the commit status API, e.g. https://api.github.com. */
  statusApiBaseUrl: string;
  statusToken?: string;
  /** Pipeline to run (default: the built-in `pr-review`). */
  pipeline?: PipelineSource;
  /** Extra start options (priority, params, task queue prefix). */
  reviewOptions?: Omit<StartReviewOptions, 'id' | 'tenant' | 'subject'>;
  /** Adds to the review input, e.g. a `checkout` directory prepared for the pull request. */
  prepareInput?: (pr: PullRequestInfo) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Link shown with the commit status, e.g. the review in the Temporal Web UI. */
  targetUrl?: (reviewId: string) => string;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  statusApi?: Pick<StatusApi, 'attempts' | 'retryDelayMs' | 'context'>;
  logger?: Logger;
}

export interface WebhookServer {
  server: Server;
  /** Listens and resolves with the bound address, e.g. `http://127.0.0.1:8787`. */
  listen(port?: number, host?: string): Promise<string>;
  /** Resolves once every review being followed has had its final status posted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const logger = options.logger ?? pino({ name: 'review-webhook' });
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const api: StatusApi = { baseUrl: options.statusApiBaseUrl, ...options.statusApi, ...(options.statusToken ? { token: options.statusToken } : {}) };
  const following = new Map<string, Promise<void>>();

  async function report(pr: PullRequestInfo, reviewId: string, status: CommitStatus): Promise<void> {
    const targetUrl = options.targetUrl?.(reviewId);
    try {
      await postCommitStatus(api, { owner: pr.owner, repo: pr.repo, sha: pr.headSha }, { ...status, ...(targetUrl ? { targetUrl } : {}) });
      logger.info({ reviewId, state: status.state }, 'commit status posted');
    } catch (error) {
      logger.error({ reviewId, state: status.state, err: error }, 'could not post the commit status');
    }
  }

  async function follow(pr: PullRequestInfo, reviewId: string): Promise<void> {
    await report(pr, reviewId, { state: 'pending', description: 'review running' });
    let final: CommitStatus;
    try {
      final = finalStatus(await options.client.result(reviewId));
    } catch (error) {
      logger.error({ reviewId, err: error }, 'could not read the review result');
      final = { state: 'error', description: 'the review result could not be read' };
    }
    await report(pr, reviewId, final);
  }

  async function handlePullRequest(body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
    let data: unknown;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
    const parsed = parsePullRequestEvent(data);
    if (!parsed.ok) throw new HttpError(400, `not a valid pull_request event: ${parsed.reason}`);
    const { event } = parsed;
    if (!(REVIEWED_ACTIONS as readonly string[]).includes(event.action)) {
      return { status: 202, body: { ignored: `action ${event.action}` } };
    }
    const pr = pullRequestInfo(event);
    const reviewId = reviewIdFor(pr);
    const input = { ...reviewInputFor(pr), ...(await options.prepareInput?.(pr)) };
    const started = await options.client.startReview(options.pipeline ?? 'pr-review', input, {
      ...options.reviewOptions,
      id: reviewId,
      tenant: pr.fullName,
      subject: `${pr.fullName}#${pr.number}`,
    });
    logger.info({ reviewId, existing: started.existing, pr: `${pr.fullName}#${pr.number}` }, started.existing ? 'review already exists' : 'review started');
    if (!following.has(reviewId)) {
      const followed = follow(pr, reviewId).finally(() => following.delete(reviewId));
      following.set(reviewId, followed);
    }
    return { status: 202, body: { reviewId: started.reviewId, runId: started.runId, existing: started.existing } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true, following: following.size });
    if (path !== '/' && path !== '/webhook') return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    const body = await readBody(req, limit);
    if (!verifySignature(options.secret, body, header(req, 'x-hub-signature-256'))) {
      logger.warn({ delivery: header(req, 'x-github-delivery') }, 'rejected a delivery with a missing or bad signature');
      return sendJson(res, 401, { error: 'missing or invalid X-Hub-Signature-256' });
    }
    const event = header(req, 'x-github-event');
    if (event === 'ping') return sendJson(res, 200, { ok: true });
    if (event !== 'pull_request') return sendJson(res, 202, { ignored: `event ${event ?? '(none)'}` });
    const result = await handlePullRequest(body);
    sendJson(res, result.status, result.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message });
      logger.error({ err: error }, 'webhook delivery failed');
      sendJson(res, 502, { error: `could not start the review: ${error instanceof Error ? error.message : String(error)}` });
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
    async idle() {
      while (following.size > 0) await Promise.all([...following.values()]);
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
