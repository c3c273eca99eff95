/**
 * The review page's HTTP server (Node's http module, no framework): the list of reviews, a page per review
 * with its DAG drawn live, step details, signed approval links, and operator controls. Read-only unless a
 * request carries a valid approval link (for that link's gate and approver) or the operator token; every
 * other POST is refused with 403. Nothing is kept between requests but layouts and live pollers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { ReviewError } from '../client/errors';
import type { ReviewClient } from '../client/review-client';
import type { ListOptions } from '../client/types';
import type { ReviewState } from '../../workflows/types';
import { HttpError, readBody } from '../http/json-http';
import { verifyApprovalLink } from './approval-links';
import { PAGE_CSS, PAGE_SCRIPT } from './assets';
import { reviewGraphSvg } from './graph-view';
import { pageShell, html, type Html } from './html';
import { LayoutCache } from './layout';
import { checkLinkUse } from './link-checks';
import { LiveReviews } from './live-status';
import { OperatorSessions, type OperatorAuth } from './operator-auth';
import { approvalPage } from './pages/approval-page';
import { listPage, type ListFilters } from './pages/list-page';
import { loginPage, refusalPage } from './pages/message-page';
import { reviewPage } from './pages/review-page';
import { stepDetails } from './pages/step-details';
import { decodeSegment } from './path-segments';
import { crossOriginRefusal, ownOrigins } from './same-origin';
import { liveReview, REVIEW_STATE_LABEL } from './step-view';
import { activityEventUrl, stepEventId, workflowUrl } from './web-ui-links';

export interface ReviewPageServerOptions {
  /** Built with the directory of approvers, so a decision's roles come from it. */
  reviews: ReviewClient;
  /** The approval-link key (REVIEW_UI_KEY); without it every approval link is refused. */
  linkKey?: Buffer;
  /** Where the page is reached (REVIEW_UI_BASE_URL); also the only origin allowed to POST when set. */
  baseUrl?: string;
  /** Operators sign in with it (REVIEW_UI_OPERATOR_TOKEN); without it nobody can pause, resume, cancel or retry here. */
  operatorToken?: string;
  /** The Temporal Web UI (REVIEW_WEB_UI_URL), for links to a review's workflow and its steps' activities. */
  webUiUrl?: string;
  /** How often a watched review's status is read (default 500 ms). */
  pollIntervalMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface ReviewPageServer {
  server: Server;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'cache-control': 'no-store' };
const STATES = new Set(Object.keys(REVIEW_STATE_LABEL));
const PRIORITIES = new Set(['critical', 'high', 'normal', 'low']);
const FORM_LIMIT = 16 * 1024;
const NO_ACTION = 'this review page is read-only: a decision needs a signed approval link, and pause, resume, cancel and retry need the operator token (sign in at /login)';

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { location, ...SECURITY_HEADERS, ...headers });
  res.end();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'send the form as application/x-www-form-urlencoded');
  return new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
}

function errorStatus(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof ReviewError) {
    if (error.code === 'not_found') return 404;
    if (error.code === 'not_allowed') return 403;
    if (error.code === 'encrypted') return 403;
    return 409;
  }
  return 502;
}

export function createReviewPageServer(options: ReviewPageServerOptions): ReviewPageServer {
  const { reviews } = options;
  const logger = options.logger ?? pino({ name: 'review-ui' });
  const now = options.now ?? Date.now;
  const layouts = new LayoutCache();
  const live = new LiveReviews(reviews, options.pollIntervalMs ?? 500);
  const sessions = new OperatorSessions(options.operatorToken, options.baseUrl?.startsWith('https:') === true, now);
  const streams = new Set<ServerResponse>();

  const sessionBar = (auth: OperatorAuth | undefined): Html =>
    auth
      ? html`operator${auth.via === 'cookie' ? html` <form method="post" action="/logout"><input type="hidden" name="csrf" value="${sessions.csrfToken(auth)}"><button type="submit">Sign out</button></form>` : ''}`
      : sessions.enabled
        ? html`<a href="/login">Operator sign-in</a>`
        : html`read-only`;

  const sendPage = (res: ServerResponse, status: number, title: string, body: Html, auth?: OperatorAuth, headers: Record<string, string> = {}): void =>
    send(res, status, 'text/html; charset=utf-8', pageShell({ title, body, session: sessionBar(auth) }), { 'content-security-policy': CSP, ...headers });

  const refuse = (res: ServerResponse, status: number, title: string, message: string, auth?: OperatorAuth): void => {
    logger.info({ event: 'ui.refused', status, reason: message }, title);
    sendPage(res, status, title, refusalPage(title, message), auth);
  };

  const reviewPath = (reviewId: string) => `/reviews/${encodeURIComponent(reviewId)}`;

  async function listReviews(url: URL, res: ServerResponse, auth: OperatorAuth | undefined): Promise<void> {
    const filters: ListFilters = {};
    const query: ListOptions = { limit: 200 };
    const state = url.searchParams.get('state') ?? '';
    const priority = url.searchParams.get('priority') ?? '';
    const pipeline = (url.searchParams.get('pipeline') ?? '').trim();
    const tenant = (url.searchParams.get('tenant') ?? '').trim();
    if (STATES.has(state)) query.status = (filters.state = state) as ReviewState;
    if (PRIORITIES.has(priority)) query.priority = (filters.priority = priority) as NonNullable<ListOptions['priority']>;
    if (pipeline) query.pipeline = filters.pipeline = pipeline;
    if (tenant) query.tenant = filters.tenant = tenant;
    const found = await reviews.list(query);
    sendPage(res, 200, 'Reviews', listPage(found, filters), auth);
  }

  async function showReview(reviewId: string, url: URL, res: ServerResponse, auth: OperatorAuth | undefined): Promise<void> {
    const status = await reviews.getStatus(reviewId);
    const { svg, layoutMs } = await reviewGraphSvg(status, layouts);
    if (layoutMs > 0) logger.info({ event: 'ui.layout', reviewId, steps: status.steps.length, layoutMs }, 'laid out a review');
    const decidedGate = url.searchParams.get('decided');
    const decisions = decidedGate ? status.decisions.filter((d) => d.step === decidedGate) : [];
    const notice = decisions.length > 0 ? `Gate ${decidedGate}: ${decisions.map((d) => `${d.verdict === 'approve' ? 'approved' : 'rejected'} by ${d.by}`).join(', ')}.` : undefined;
    const body = reviewPage({
      status,
      svg,
      path: reviewPath(reviewId),
      ...(options.webUiUrl ? { webUiUrl: workflowUrl(options.webUiUrl, reviews.namespace, reviewId) } : {}),
      ...(auth ? { operator: { csrf: sessions.csrfToken(auth) } } : {}),
      ...(notice ? { notice } : {}),
    });
    sendPage(res, 200, `${reviewId} · review`, body, auth);
  }

  async function showGraph(reviewId: string, res: ServerResponse): Promise<void> {
    const status = await live.read(reviewId);
    const { svg } = await reviewGraphSvg(status, layouts, { standalone: true });
    send(res, 200, 'image/svg+xml; charset=utf-8', svg, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  }

  async function showStep(reviewId: string, stepId: string, res: ServerResponse): Promise<void> {
    const status = await reviews.getStatus(reviewId);
    const step = status.steps.find((s) => s.id === stepId);
    if (!step) throw new HttpError(404, `review '${reviewId}' has no step '${stepId}'`);
    let webUi: string | undefined;
    if (options.webUiUrl) {
      webUi = workflowUrl(options.webUiUrl, reviews.namespace, reviewId);
      if (step.kind === 'task' && step.attempts > 0) {
        try {
          const { runId } = await reviews.describe(reviewId);
          const eventId = await stepEventId(reviews.temporal.workflow.getHandle(reviewId, runId), reviews.temporal.options.loadedDataConverter, stepId);
          if (eventId) webUi = activityEventUrl(options.webUiUrl, reviews.namespace, reviewId, runId, eventId);
        } catch {
          // the workflow's own page is link enough
        }
      }
    }
    send(res, 200, 'text/html; charset=utf-8', stepDetails(step, webUi ? { webUi } : {}).text, { 'content-security-policy': CSP });
  }

  async function streamEvents(reviewId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let left = false;
    res.once('close', () => (left = true));
    // An unknown review is a 404 like its other addresses; while Temporal does not answer, the stream starts and its poller keeps trying.
    await live.read(reviewId).catch((error: unknown) => {
      if (error instanceof ReviewError && error.code === 'not_found') throw error;
    });
    if (left) return;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
    res.write('retry: 1000\n\n');
    streams.add(res);
    const stop = live.watch(
      reviewId,
      (_update, json) => res.write(`event: status\ndata: ${json}\n\n`),
      (message) => res.end(`event: gone\ndata: ${JSON.stringify({ message })}\n\n`),
    );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const end = (): void => {
      clearInterval(keepAlive);
      stop();
      streams.delete(res);
    };
    req.once('close', end);
    res.once('close', end);
  }

  async function showApproval(url: URL, res: ServerResponse, auth: OperatorAuth | undefined): Promise<void> {
    const token = url.searchParams.get('t');
    const usable = await usableLink(token);
    if (!usable.ok) return refuse(res, 403, 'This approval link cannot be used', usable.message, auth);
    const { claims, status, step, gate } = usable;
    const { svg } = await reviewGraphSvg(status, layouts);
    const body = approvalPage({ status, step, gate, approver: claims.approver, token: token as string, expiresAt: claims.expiresAt, svg, path: reviewPath(claims.reviewId) });
    sendPage(res, 200, `Decide ${claims.gate} · ${claims.reviewId}`, body, auth);
  }

  /** A link that verifies, for a gate that is open and an approver who has not decided it yet. */
  async function usableLink(token: string | null) {
    if (!options.linkKey) return { ok: false as const, message: 'this review page has no approval-link key (REVIEW_UI_KEY), so it accepts no approval link' };
    const verified = verifyApprovalLink(options.linkKey, token, now());
    if (!verified.ok) return { ok: false as const, message: verified.message };
    const status = await reviews.getStatus(verified.claims.reviewId);
    const use = checkLinkUse(verified.claims, status);
    if (!use.ok) return { ok: false as const, message: use.message };
    return { ok: true as const, claims: verified.claims, status, step: use.step, gate: use.gate };
  }

  async function decide(req: IncomingMessage, res: ServerResponse, auth: OperatorAuth | undefined): Promise<void> {
    const form = await readForm(req);
    const verdict = form.get('verdict');
    if (verdict !== 'approve' && verdict !== 'reject') return refuse(res, 400, 'No decision', 'choose Approve or Reject', auth);
    const comment = (form.get('comment') ?? '').trim().slice(0, 2000);
    const usable = await usableLink(form.get('t'));
    if (!usable.ok) return refuse(res, 403, 'This approval link cannot be used', usable.message, auth);
    const { claims } = usable;
    const decision = { step: claims.gate, by: claims.approver, ...(comment ? { comment } : {}) };
    try {
      if (verdict === 'approve') await reviews.approve(claims.reviewId, decision);
      else await reviews.reject(claims.reviewId, decision);
    } catch (error) {
      if (error instanceof ReviewError) return refuse(res, errorStatus(error), 'The decision was refused', error.message, auth);
      throw error;
    }
    logger.info({ event: 'ui.decided', reviewId: claims.reviewId, gate: claims.gate, by: claims.approver, verdict }, 'decision recorded from an approval link');
    redirect(res, `${reviewPath(claims.reviewId)}?decided=${encodeURIComponent(claims.gate)}`);
  }

  async function operatorAction(reviewId: string, action: string, req: IncomingMessage, res: ServerResponse, auth: OperatorAuth | undefined): Promise<void> {
    if (!auth) return refuse(res, 403, 'Not allowed', NO_ACTION);
    const form = await readForm(req);
    if (!sessions.csrfValid(auth, form.get('csrf') ?? undefined)) return refuse(res, 403, 'Not allowed', 'the form is stale or came from another page (its CSRF token does not match); reload the review page and try again', auth);
    const by = { by: 'operator (review page)' };
    try {
      if (action === 'pause') await reviews.pause(reviewId, by);
      else if (action === 'resume') await reviews.resume(reviewId, by);
      else if (action === 'cancel') await reviews.cancel(reviewId, 'cancelled by an operator on the review page');
      else await reviews.retry(reviewId, {});
    } catch (error) {
      if (error instanceof ReviewError) return refuse(res, errorStatus(error), `${action} was refused`, error.message, auth);
      throw error;
    }
    logger.info({ event: 'ui.operator', reviewId, action }, 'operator action');
    redirect(res, reviewPath(reviewId));
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!sessions.enabled) return refuse(res, 403, 'Operator sign-in is off', 'this review page has no operator token (REVIEW_UI_OPERATOR_TOKEN)');
    const form = await readForm(req);
    if (!sessions.tokenMatches(form.get('token') ?? undefined)) return sendPage(res, 403, 'Operator sign-in', loginPage(true, 'that is not the operator token'));
    redirect(res, '/', { 'set-cookie': sessions.sessionCookie() });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://review-page.invalid');
    const path = url.pathname;
    const auth = sessions.authenticate(req);
    const reviewMatch = /^\/reviews\/([^/]+)(?:\/(.*))?$/.exec(path);
    const reviewId = reviewMatch ? decodeSegment(reviewMatch[1] as string, 'review id') : undefined;
    const rest = reviewMatch?.[2];

    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/assets/review-page.js') return send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT, { 'cache-control': 'max-age=300' });
      if (path === '/assets/review-page.css') return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS, { 'cache-control': 'max-age=300' });
      if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
      if (path === '/') return listReviews(url, res, auth);
      if (path === '/login') return sendPage(res, 200, 'Operator sign-in', loginPage(sessions.enabled), auth);
      if (path === '/approve') return showApproval(url, res, auth);
      if (reviewId !== undefined) {
        if (rest === undefined || rest === '') return showReview(reviewId, url, res, auth);
        if (rest === 'graph.svg') return showGraph(reviewId, res);
        if (rest === 'events') return streamEvents(reviewId, req, res);
        if (rest === 'status.json') return send(res, 200, 'application/json', JSON.stringify(liveReview(await live.read(reviewId))));
        if (rest.startsWith('steps/')) return showStep(reviewId, decodeSegment(rest.slice('steps/'.length), 'step id'), res);
      }
      return refuse(res, 404, 'Not found', `nothing at ${path}; the list of reviews is at /`, auth);
    }

    if (req.method !== 'POST') return refuse(res, 405, 'Method not allowed', `${req.method} is not used here`, auth);
    const crossOrigin = crossOriginRefusal(req, ownOrigins(req, options.baseUrl));
    if (crossOrigin && auth?.via !== 'bearer') return refuse(res, 403, 'Not allowed', crossOrigin, auth);
    if (path === '/approve') return decide(req, res, auth);
    if (path === '/login') return login(req, res);
    if (path === '/logout') {
      if (auth?.via === 'cookie' && !sessions.csrfValid(auth, (await readForm(req)).get('csrf') ?? undefined)) return refuse(res, 403, 'Not allowed', 'the sign-out form came from another page', auth);
      return redirect(res, '/', { 'set-cookie': sessions.clearCookie() });
    }
    if (reviewId !== undefined && rest !== undefined && ['pause', 'resume', 'cancel', 'retry'].includes(rest)) return operatorAction(reviewId, rest, req, res, auth);
    return refuse(res, 403, 'Not allowed', NO_ACTION, auth);
  }

  const handling = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handled = route(req, res).catch((error: unknown) => {
      const status = errorStatus(error);
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) logger.warn({ event: 'ui.error', err: message, url: req.url }, 'request failed');
      if (res.headersSent) {
        res.end();
        return;
      }
      refuse(res, status, status === 404 ? 'Not found' : status >= 500 ? 'Temporal did not answer' : 'Refused', message);
    }).finally(() => handling.delete(handled));
    handling.add(handled);
  });

  return {
    server,
    listen(port = 8088, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`);
        });
      });
    },
    /** Resolves once no request and no live poll is still talking to Temporal: the caller may close the connection then. */
    async close() {
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, live.close(), Promise.allSettled([...handling])]);
    },
  };
}
