/**
 * A small GitHub REST client for one step: GitHub's headers on every request, token or App
 * authentication, bounded waits on rate limits (heartbeating meanwhile), and errors that carry the
 * API's message but never a credential.
 */
import { StepError, type ExecutorContext } from '../../executor';
import { httpCall, readText, retryAfterMs } from '../../lib/http';
import { sleep } from '../../lib/sleep';
import { forgetInstallationToken, installationToken, type InstallationToken } from './app-auth';
import { rateLimitWaitMs } from './rate-limit';
import type { AppAuth } from './schema';

export const API_VERSION = '2022-11-28';
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const MAX_RATE_LIMIT_WAITS = 5;
const HEARTBEAT_SLICE_MS = 1_000;

export interface GitHubClientOptions {
  apiUrl: string;
  token?: string | undefined;
  app?: AppAuth | undefined;
  timeoutMs: number;
  maxWaitMs: number;
  userAgent: string;
  ctx: Pick<ExecutorContext, 'signal' | 'heartbeat' | 'logger'>;
}

export interface GitHubResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/** An answer GitHub gave with an error status; `apiMessage` is GitHub's own `message`. */
export class GitHubApiError extends StepError {
  readonly status: number;
  readonly apiMessage: string;

  constructor(message: string, status: number, apiMessage: string, options: { nonRetryable: boolean; details?: unknown; retryAfterMs?: number }) {
    super(message, { type: `GitHub${status}`, ...options });
    this.status = status;
    this.apiMessage = apiMessage;
  }
}

interface ErrorBody {
  message?: unknown;
  errors?: unknown;
  documentation_url?: unknown;
}

export class GitHubClient {
  private readonly apiUrl: string;
  private waitedMs = 0;
  private waits = 0;
  /** Requests sent, answered or not (for outputs and tests). */
  requests = 0;

  constructor(private readonly options: GitHubClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
  }

  get authKind(): 'token' | 'app' {
    return this.options.app ? 'app' : 'token';
  }

  /** Sends the request as the step's identity; `allow` lists error statuses returned instead of thrown. */
  async request<T>(method: string, path: string, body?: unknown, allow: readonly number[] = []): Promise<GitHubResponse<T>> {
    let renewed = false;
    for (;;) {
      const authorization = `Bearer ${await this.credential()}`;
      const answer = await this.send<T>(method, path, body, authorization, allow);
      if (answer.status === 401 && this.options.app && !renewed && !allow.includes(401)) {
        // A cached installation token can be revoked before it expires: get a new one once.
        forgetInstallationToken(this.options.app, this.apiUrl);
        renewed = true;
        continue;
      }
      if (answer.status >= 400 && !allow.includes(answer.status)) throw this.errorFor(method, path, answer);
      return answer;
    }
  }

  private async credential(): Promise<string> {
    const { app, token } = this.options;
    if (!app) return token as string;
    return installationToken(app, this.apiUrl, (jwt) => this.exchange(app, jwt));
  }

  /** POST /app/installations/{id}/access_tokens with the App's JWT. */
  private async exchange(app: AppAuth, jwt: string): Promise<InstallationToken> {
    const path = `/app/installations/${app.installationId}/access_tokens`;
    const answer = await this.send<{ token?: unknown; expires_at?: unknown }>('POST', path, undefined, `Bearer ${jwt}`, [401, 403, 404]);
    if (answer.status === 401) {
      throw StepError.nonRetryable(
        `GitHub refused the JWT of App ${app.appId}: ${apiMessage(answer.data)} (check appId and privateKey, and the worker's clock)`,
        'GitHubAppAuthFailed',
      );
    }
    if (answer.status === 403 || answer.status === 404) {
      throw StepError.nonRetryable(
        `App ${app.appId} has no installation ${app.installationId} it may use (GitHub answered ${answer.status}: ${apiMessage(answer.data)}); install the App on the repository's owner and use that installation's id`,
        'GitHubAppInstallationNotFound',
      );
    }
    if (answer.status >= 400) throw this.errorFor('POST', path, answer);
    const { token, expires_at: expiresAt } = answer.data;
    const expiresAtMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresAtMs)) {
      throw StepError.retryable(`GitHub answered ${path} without a token and its expiry`, 'GitHubBadResponse');
    }
    this.options.ctx.logger.info({ event: 'github.installation-token', appId: app.appId, expiresAt }, 'installation token obtained');
    return { token, expiresAtMs };
  }

  /** One request, repeated while GitHub asks to wait (within the step's bounds). */
  private async send<T>(
    method: string,
    path: string,
    body: unknown,
    authorization: string,
    allow: readonly number[],
  ): Promise<GitHubResponse<T>> {
    const { ctx } = this.options;
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': API_VERSION,
      'user-agent': this.options.userAgent,
      authorization,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (;;) {
      this.requests += 1;
      const response = await httpCall(
        { method, url: `${this.apiUrl}${path}`, headers, body: payload, timeoutMs: this.options.timeoutMs },
        ctx.signal,
      );
      const { text } = await readText(response, MAX_BODY_BYTES);
      const data = parseJson(text) as T;
      if (response.status < 400 || allow.includes(response.status)) return { status: response.status, data, headers: response.headers };
      const waitMs = rateLimitWaitMs(response.status, response.headers, apiMessage(data));
      if (waitMs === undefined) return { status: response.status, data, headers: response.headers };
      const where = `${method} ${pathOnly(path)}`;
      if (this.waits >= MAX_RATE_LIMIT_WAITS || this.waitedMs + waitMs > this.options.maxWaitMs) {
        throw new StepError(
          `GitHub rate limit on ${where} (${response.status}: ${apiMessage(data)}); asked to wait ${Math.ceil(waitMs / 1000)} s, more than this attempt may wait, so the next attempt waits instead`,
          { type: 'GitHubRateLimited', retryAfterMs: waitMs },
        );
      }
      ctx.logger.warn({ event: 'github.rate-limited', method, path: pathOnly(path), status: response.status, waitMs }, `GitHub rate limit: waiting ${waitMs} ms`);
      this.waits += 1;
      this.waitedMs += waitMs;
      await this.waitHeartbeating(waitMs, where);
    }
  }

  private async waitHeartbeating(ms: number, where: string): Promise<void> {
    const { ctx } = this.options;
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      ctx.heartbeat({ phase: 'github-rate-limited', request: where, retryInMs: left });
      await sleep(Math.min(left, HEARTBEAT_SLICE_MS), ctx.signal);
    }
  }

  private errorFor(method: string, path: string, answer: GitHubResponse<unknown>): GitHubApiError {
    const message = apiMessage(answer.data);
    const problems = errorList((answer.data as ErrorBody | undefined)?.errors);
    const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429;
    const retryAfter = retryAfterMs(answer.headers.get('retry-after'));
    return new GitHubApiError(
      `GitHub answered ${answer.status} to ${method} ${pathOnly(path)}: ${message}${problems ? ` (${problems})` : ''}`,
      answer.status,
      message,
      {
        nonRetryable: !retryable,
        details: { status: answer.status, message, errors: (answer.data as ErrorBody | undefined)?.errors, documentation_url: (answer.data as ErrorBody | undefined)?.documentation_url },
        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      },
    );
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { message: text.slice(0, 300) };
  }
}

export function apiMessage(data: unknown): string {
  const message = (data as ErrorBody | undefined)?.message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim().replace(/\s*\n+\s*/g, ' ') : 'no message';
}

function errorList(errors: unknown): string {
  if (!Array.isArray(errors)) return '';
  return errors
    .slice(0, 5)
    .map((e: unknown) => {
      if (typeof e === 'string') return e;
      const item = e as { field?: unknown; code?: unknown; message?: unknown; resource?: unknown };
      if (typeof item.message === 'string') return item.message;
      return [item.resource, item.field, item.code].filter((part) => typeof part === 'string').join(' ');
    })
    .filter((text) => text !== '')
    .join('; ');
}

/** The path without its query string, for messages and logs. */
function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}
