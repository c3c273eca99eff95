/**
 * A strict local stand-in for the part of GitHub's REST API the `github` executor uses: check runs
 * (create, update, find by commit, annotations), commit statuses, pull requests and their merge, and
 * GitHub App installation tokens. It refuses what GitHub would refuse, with GitHub-shaped errors
 * (unknown keys, bad enums, missing fields, too long texts, more than 50 annotations in a request,
 * check runs without App auth, a merge at a head that moved), and keeps every request it accepted so
 * tests and the demo can show what reached "GitHub". Listens on 127.0.0.1 at a random port.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACTIONS_ONLY_STATUSES,
  annotationProblems,
  charCount,
  check,
  CREATE_CHECK_RUN,
  CREATE_STATUS,
  MAX_STATUS_DESCRIPTION,
  MERGE_PULL,
  UPDATE_CHECK_RUN,
  type FieldRule,
  type Problem,
} from './github-api-rules';

const DOCS = 'https://docs.github.com/rest';
const API_VERSIONS = ['2022-11-28', '2026-03-10'];
const SHA = /^[0-9a-f]{40}$/i;

export interface GitHubStandInOptions {
  /** Personal access tokens it accepts (default: one, `standIn.token`). */
  tokens?: string[];
  /** The GitHub App it knows; a key pair is generated when no private key is given. */
  app?: { appId?: number; installationId?: number; privateKey?: string };
  /** GitHub lets only Apps write check runs; false accepts a plain token too (default true). */
  checkRunsRequireApp?: boolean;
  /** Refuse requests without X-GitHub-Api-Version (GitHub would assume 2022-11-28; default true). */
  requireApiVersion?: boolean;
  /** Lifetime of the installation tokens it hands out (default an hour, like GitHub). */
  installationTokenTtlMs?: number;
  /**
   * Branch protection: status contexts or check run names that must be green at the head before a merge,
   * which is refused (405) otherwise, as GitHub refuses it.
   */
  requiredChecks?: string[];
}

export type AuthKind = 'token' | 'app' | 'jwt';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  auth?: AuthKind;
  status: number;
  at: string;
}

export interface StandInAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: string;
  message: string;
  title: string | null;
  raw_details: string | null;
}

export interface StandInCheckRun {
  id: number;
  repository: string;
  name: string;
  head_sha: string;
  external_id: string | null;
  details_url: string | null;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: StandInAnnotation[];
  /** How many annotations each accepted request carried. */
  annotationBatches: number[];
}

export interface StandInStatus {
  id: number;
  repository: string;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  target_url: string | null;
}

export interface StandInPullRequest {
  repository: string;
  number: number;
  headSha: string;
  state: 'open' | 'closed';
  mergeable: boolean;
  merged: boolean;
  mergeCommitSha: string | null;
  mergeMethod?: string;
}

export interface InjectedAnswer {
  /** How many matching requests get it (default 1). */
  count?: number;
  method?: string;
  /** Matched against the path (without the query). */
  path?: RegExp;
}

export interface GitHubStandIn {
  apiUrl: string;
  /** A personal access token it accepts. */
  token: string;
  app: { appId: number; installationId: number; privateKey: string };
  /** Every request it accepted (2xx), in order; credentials are left out. */
  requests: RecordedRequest[];
  /** Every request it refused, with the answer it gave. */
  rejected: Array<RecordedRequest & { response: unknown }>;
  checkRuns(): StandInCheckRun[];
  statuses(): StandInStatus[];
  merges(): Array<{ repository: string; number: number; sha: string; mergeMethod: string; mergeCommitSha: string }>;
  /** Installation tokens handed out so far. */
  installationTokensIssued(): number;
  /** The installation tokens themselves, oldest first (tests check they never leak). */
  installationTokens(): string[];
  /** Revokes every installation token handed out: they get 401 Bad credentials from now on. */
  revokeInstallationTokens(): void;
  addPullRequest(repository: string, number: number, pr: { headSha: string; mergeable?: boolean }): void;
  /** New commits on the pull request's branch: its head moves to `sha`. */
  pushToPullRequest(repository: string, number: number, sha: string): void;
  pullRequest(repository: string, number: number): StandInPullRequest | undefined;
  /** The next matching requests get a secondary rate limit (403 or 429, with retry-after or a reset time). */
  rateLimitNext(options?: InjectedAnswer & { status?: 403 | 429; retryAfterSeconds?: number; resetInSeconds?: number }): void;
  /** The next matching requests fail with a server error; `afterHandling` performs them first, as if the answer was lost. */
  failNext(options?: InjectedAnswer & { status?: number; afterHandling?: boolean }): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Injection extends InjectedAnswer {
  left: number;
  kind: 'rate-limit' | 'fail';
  status: number;
  retryAfterSeconds?: number;
  resetInSeconds?: number;
  afterHandling?: boolean;
}

interface Caller {
  kind: AuthKind;
}

const error = (status: number, message: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { message, documentation_url: DOCS, status: String(status), ...extra },
});

function invalid(problems: Problem[], resource: string): Answer {
  const schema = problems.filter((p) => p.kind === 'schema');
  if (schema.length > 0) return error(422, `Invalid request.\n\n${schema.map((p) => p.message).join('\n')}`);
  return error(422, 'Validation Failed', {
    errors: problems.map((p) => ({ resource, code: p.code, field: p.field, message: p.message })),
  });
}

export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const token = options.tokens?.[0] ?? `ghp_${randomBytes(18).toString('hex')}`;
  const tokens = new Set(options.tokens ?? [token]);
  const appId = options.app?.appId ?? 424_242;
  const installationId = options.app?.installationId ?? 4_711;
  let privateKeyPem = options.app?.privateKey;
  let publicKey: KeyObject;
  if (privateKeyPem) {
    publicKey = createPublicKey(privateKeyPem);
  } else {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    publicKey = pair.publicKey;
  }
  const checkRunsRequireApp = options.checkRunsRequireApp ?? true;
  const requireApiVersion = options.requireApiVersion ?? true;
  const tokenTtlMs = options.installationTokenTtlMs ?? 3_600_000;

  const requests: RecordedRequest[] = [];
  const rejected: Array<RecordedRequest & { response: unknown }> = [];
  const installationTokens = new Map<string, number>();
  const checkRuns = new Map<number, StandInCheckRun>();
  const statuses: StandInStatus[] = [];
  const merges: Array<{ repository: string; number: number; sha: string; mergeMethod: string; mergeCommitSha: string }> = [];
  const pulls = new Map<string, StandInPullRequest>();
  const injections: Injection[] = [];
  let nextId = 1_000;
  let apiUrl = '';

  const pullKey = (repository: string, number: number): string => `${repository.toLowerCase()}#${number}`;

  // ---- authentication -------------------------------------------------------------------------

  function verifyJwt(jwt: string): string | undefined {
    const parts = jwt.split('.');
    if (parts.length !== 3) return 'A JSON web token could not be decoded';
    const [head, body, signature] = parts as [string, string, string];
    let header: { alg?: unknown };
    let claims: { iat?: unknown; exp?: unknown; iss?: unknown };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'A JSON web token could not be decoded';
    }
    if (header.alg !== 'RS256') return 'A JSON web token could not be decoded';
    if (!verify('sha256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))) {
      return 'A JSON web token could not be decoded';
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat !== 'number' || !Number.isInteger(claims.iat)) {
      return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
    }
    if (typeof claims.exp !== 'number' || !Number.isInteger(claims.exp)) {
      return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
    }
    if (claims.iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.";
    if (claims.exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
    if (claims.exp - claims.iat > 600 || claims.exp > now + 600) return "'Expiration time' claim ('exp') is too far in the future";
    if (String(claims.iss) !== String(appId)) return "'Issuer' claim ('iss') must be an Integer";
    return undefined;
  }

  function authenticate(req: IncomingMessage, path: string): Caller | Answer {
    const header = req.headers.authorization;
    if (!header) return error(401, 'Requires authentication');
    const match = /^(bearer|token)\s+(\S+)$/i.exec(header);
    if (!match) return error(401, 'Bad credentials');
    const credential = match[2] as string;
    if (path.startsWith('/app/')) {
      const problem = verifyJwt(credential);
      return problem ? error(401, problem) : { kind: 'jwt' };
    }
    if (tokens.has(credential)) return { kind: 'token' };
    const expires = installationTokens.get(credential);
    if (expires !== undefined && expires > Date.now()) return { kind: 'app' };
    return error(401, 'Bad credentials');
  }

  // ---- endpoints --------------------------------------------------------------------------------

  function bodyProblems(body: unknown, rule: FieldRule, resource: string): Answer | undefined {
    const problems = check(body, rule);
    return problems.length > 0 ? invalid(problems, resource) : undefined;
  }

  function checkRunJson(run: StandInCheckRun): Record<string, unknown> {
    const [owner, repo] = run.repository.split('/');
    return {
      id: run.id,
      name: run.name,
      node_id: Buffer.from(`CheckRun${run.id}`).toString('base64'),
      head_sha: run.head_sha,
      external_id: run.external_id,
      url: `${apiUrl}/repos/${run.repository}/check-runs/${run.id}`,
      html_url: `${apiUrl}/${owner}/${repo}/runs/${run.id}`,
      details_url: run.details_url,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        ...run.output,
        annotations_count: run.annotations.length,
        annotations_url: `${apiUrl}/repos/${run.repository}/check-runs/${run.id}/annotations`,
      },
      app: { id: appId, slug: 'review-orchestrator', name: 'review-orchestrator' },
      pull_requests: [],
    };
  }

  /** Applies a create or update body to `run` (already validated). */
  function applyCheckRun(run: StandInCheckRun, body: Record<string, unknown>): Answer | undefined {
    const status = (body.status as string | undefined) ?? undefined;
    const conclusion = (body.conclusion as string | undefined) ?? undefined;
    if (status === 'completed' && conclusion === undefined && run.conclusion === null) {
      return error(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
    }
    if (body.completed_at !== undefined && conclusion === undefined && run.conclusion === null) {
      return error(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
    }
    if (typeof body.name === 'string') run.name = body.name;
    if (typeof body.details_url === 'string') run.details_url = body.details_url;
    if (typeof body.external_id === 'string') run.external_id = body.external_id;
    if (typeof body.started_at === 'string') run.started_at = body.started_at;
    if (status !== undefined) {
      run.status = status;
      if (status !== 'completed') run.conclusion = null;
      if (status === 'in_progress' && run.started_at === null) run.started_at = new Date().toISOString();
    }
    if (conclusion !== undefined) {
      run.conclusion = conclusion;
      run.status = 'completed';
    }
    if (run.status === 'completed') run.completed_at = (body.completed_at as string | undefined) ?? run.completed_at ?? new Date().toISOString();
    const output = body.output as { title: string; summary: string; text?: string; annotations?: Array<Record<string, unknown>> } | undefined;
    if (output) {
      run.output = { title: output.title, summary: output.summary, text: output.text ?? run.output.text };
      const added = (output.annotations ?? []).map(
        (a): StandInAnnotation => ({
          path: a.path as string,
          start_line: a.start_line as number,
          end_line: a.end_line as number,
          start_column: (a.start_column as number | undefined) ?? null,
          end_column: (a.end_column as number | undefined) ?? null,
          annotation_level: a.annotation_level as string,
          message: a.message as string,
          title: (a.title as string | undefined) ?? null,
          raw_details: (a.raw_details as string | undefined) ?? null,
        }),
      );
      // GitHub appends: every update adds to the annotations already there.
      run.annotations.push(...added);
      if (added.length > 0) run.annotationBatches.push(added.length);
    }
    return undefined;
  }

  function checkRunRules(body: unknown, rule: FieldRule): Answer | undefined {
    const record = body as Record<string, unknown>;
    if (typeof record === 'object' && record !== null && ACTIONS_ONLY_STATUSES.includes(record.status as never)) {
      return error(422, `Invalid request.\n\nOnly GitHub Actions can set a status of waiting, pending, or requested.`);
    }
    if (typeof record === 'object' && record !== null && record.conclusion === 'stale') {
      return error(422, 'Invalid request.\n\nOnly GitHub can set a conclusion of stale.');
    }
    const problems = check(body, rule);
    const output = (record as { output?: { annotations?: unknown } } | null)?.output;
    problems.push(...annotationProblems(output?.annotations, 'output.annotations'));
    return problems.length > 0 ? invalid(problems, 'CheckRun') : undefined;
  }

  function createCheckRun(repository: string, body: unknown, caller: Caller): Answer {
    if (checkRunsRequireApp && caller.kind !== 'app') return error(403, 'Resource not accessible by integration');
    const refused = checkRunRules(body, CREATE_CHECK_RUN);
    if (refused) return refused;
    const record = body as Record<string, unknown>;
    const headSha = record.head_sha as string;
    if (!SHA.test(headSha)) return error(422, `No commit found for SHA: ${headSha}`);
    const run: StandInCheckRun = {
      id: nextId++,
      repository,
      name: record.name as string,
      head_sha: headSha.toLowerCase(),
      external_id: null,
      details_url: null,
      status: 'queued',
      conclusion: null,
      started_at: null,
      completed_at: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      annotationBatches: [],
    };
    const problem = applyCheckRun(run, record);
    if (problem) return problem;
    checkRuns.set(run.id, run);
    return { status: 201, body: checkRunJson(run) };
  }

  function updateCheckRun(repository: string, id: number, body: unknown, caller: Caller): Answer {
    if (checkRunsRequireApp && caller.kind !== 'app') return error(403, 'Resource not accessible by integration');
    const run = checkRuns.get(id);
    if (!run || run.repository !== repository) return error(404, 'Not Found');
    const refused = checkRunRules(body, UPDATE_CHECK_RUN);
    if (refused) return refused;
    // Validate against a copy so a refused update changes nothing.
    const copy: StandInCheckRun = { ...run, output: { ...run.output }, annotations: [...run.annotations], annotationBatches: [...run.annotationBatches] };
    const problem = applyCheckRun(copy, body as Record<string, unknown>);
    if (problem) return problem;
    checkRuns.set(id, copy);
    return { status: 200, body: checkRunJson(copy) };
  }

  function listCheckRuns(repository: string, ref: string, query: Record<string, string>): Answer {
    const perPage = Number(query.per_page ?? 30);
    const page = Number(query.page ?? 1);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1) {
      return error(422, 'Invalid request.\n\nper_page must be between 1 and 100.');
    }
    if (query.filter !== undefined && !['latest', 'all'].includes(query.filter)) {
      return error(422, `Invalid request.\n\nFor 'filter', ${JSON.stringify(query.filter)} is not one of: "latest", "all".`);
    }
    let runs = [...checkRuns.values()]
      .filter((run) => run.repository === repository && run.head_sha === ref.toLowerCase())
      .filter((run) => query.check_name === undefined || run.name === query.check_name)
      .filter((run) => query.status === undefined || run.status === query.status)
      .sort((a, b) => b.id - a.id);
    if ((query.filter ?? 'latest') === 'latest') {
      const seen = new Set<string>();
      runs = runs.filter((run) => !seen.has(run.name) && seen.add(run.name));
    }
    const slice = runs.slice((page - 1) * perPage, page * perPage);
    return { status: 200, body: { total_count: runs.length, check_runs: slice.map(checkRunJson) } };
  }

  function listAnnotations(repository: string, id: number, query: Record<string, string>): Answer {
    const run = checkRuns.get(id);
    if (!run || run.repository !== repository) return error(404, 'Not Found');
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const [owner, repo] = repository.split('/');
    const items = run.annotations.slice((page - 1) * perPage, page * perPage).map((a) => ({
      ...a,
      blob_href: `${apiUrl}/${owner}/${repo}/blob/${run.head_sha}/${a.path}`,
    }));
    return { status: 200, body: items };
  }

  function createStatus(repository: string, sha: string, body: unknown): Answer {
    const refused = bodyProblems(body, CREATE_STATUS, 'Status');
    if (refused) return refused;
    if (!SHA.test(sha)) return error(422, `No commit found for SHA: ${sha}`);
    const record = body as Record<string, unknown>;
    const description = (record.description as string | null | undefined) ?? null;
    if (description !== null && charCount(description) > MAX_STATUS_DESCRIPTION) {
      return error(422, 'Validation Failed', {
        errors: [{ resource: 'Status', code: 'custom', field: 'description', message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)` }],
      });
    }
    const status: StandInStatus = {
      id: nextId++,
      repository,
      sha: sha.toLowerCase(),
      state: record.state as string,
      context: (record.context as string | undefined) ?? 'default',
      description,
      target_url: (record.target_url as string | null | undefined) ?? null,
    };
    statuses.push(status);
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        id: status.id,
        url: `${apiUrl}/repos/${repository}/statuses/${status.sha}`,
        state: status.state,
        description: status.description,
        target_url: status.target_url,
        context: status.context,
        created_at: now,
        updated_at: now,
      },
    };
  }

  function pullJson(pr: StandInPullRequest): Record<string, unknown> {
    return {
      number: pr.number,
      state: pr.state,
      merged: pr.merged,
      mergeable: pr.merged ? null : pr.mergeable,
      mergeable_state: pr.merged ? 'unknown' : pr.mergeable ? 'clean' : 'dirty',
      merge_commit_sha: pr.mergeCommitSha,
      head: { sha: pr.headSha, ref: `pr-${pr.number}` },
      base: { ref: 'main' },
      html_url: `${apiUrl}/${pr.repository}/pull/${pr.number}`,
    };
  }

  /** The latest commit status of `context` at `sha`, or the conclusion of the check run of that name: success, pending, expected, failure... */
  function requiredCheckState(repository: string, sha: string, context: string): string {
    const status = statuses.filter((s) => s.repository === repository && s.sha === sha.toLowerCase() && s.context === context).at(-1);
    const run = [...checkRuns.values()].filter((r) => r.repository === repository && r.head_sha.toLowerCase() === sha.toLowerCase() && r.name === context).at(-1);
    if (run) return run.status !== 'completed' ? 'pending' : ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '') ? 'success' : (run.conclusion ?? 'failure');
    return status?.state ?? 'expected';
  }

  function mergePull(repository: string, number: number, body: unknown): Answer {
    const pr = pulls.get(pullKey(repository, number));
    if (!pr) return error(404, 'Not Found');
    const refused = bodyProblems(body ?? {}, MERGE_PULL, 'PullRequest');
    if (refused) return refused;
    const record = (body ?? {}) as Record<string, unknown>;
    if (pr.merged || pr.state !== 'open' || !pr.mergeable) return error(405, 'Pull Request is not mergeable');
    for (const required of options.requiredChecks ?? []) {
      const state = requiredCheckState(repository, pr.headSha, required);
      if (state !== 'success') return error(405, `Required status check "${required}" is ${state}.`);
    }
    const sha = record.sha as string | undefined;
    if (sha !== undefined && sha.toLowerCase() !== pr.headSha.toLowerCase()) {
      return error(409, 'Head branch was modified. Review and try the merge again.');
    }
    const mergeCommitSha = randomBytes(20).toString('hex');
    const mergeMethod = (record.merge_method as string | undefined) ?? 'merge';
    pr.merged = true;
    pr.state = 'closed';
    pr.mergeCommitSha = mergeCommitSha;
    pr.mergeMethod = mergeMethod;
    merges.push({ repository, number, sha: pr.headSha, mergeMethod, mergeCommitSha });
    return { status: 200, body: { sha: mergeCommitSha, merged: true, message: 'Pull Request successfully merged' } };
  }

  function issueInstallationToken(id: number): Answer {
    if (id !== installationId) return error(404, 'Not Found');
    const issued = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = Date.now() + tokenTtlMs;
    installationTokens.set(issued, expiresAt);
    return {
      status: 201,
      body: {
        token: issued,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: { checks: 'write', statuses: 'write', contents: 'write', pull_requests: 'write', metadata: 'read' },
        repository_selection: 'all',
      },
    };
  }

  function route(method: string, path: string, query: Record<string, string>, body: unknown, caller: Caller): Answer {
    let m: RegExpExecArray | null;
    if ((m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path)) && method === 'POST') {
      return issueInstallationToken(Number(m[1]));
    }
    if (caller.kind === 'jwt') return error(401, 'Bad credentials');
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path);
    if (!repoPath) return error(404, 'Not Found');
    const repository = `${repoPath[1]}/${repoPath[2]}`;
    const rest = repoPath[3] as string;
    if ((m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest)) && method === 'GET') return listCheckRuns(repository, m[1] as string, query);
    if (rest === '/check-runs' && method === 'POST') return createCheckRun(repository, body, caller);
    if ((m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      if (method === 'PATCH') return updateCheckRun(repository, Number(m[1]), body, caller);
      if (method === 'GET') {
        const run = checkRuns.get(Number(m[1]));
        return run && run.repository === repository ? { status: 200, body: checkRunJson(run) } : error(404, 'Not Found');
      }
    }
    if ((m = /^\/check-runs\/(\d+)\/annotations$/.exec(rest)) && method === 'GET') return listAnnotations(repository, Number(m[1]), query);
    if ((m = /^\/statuses\/([^/]+)$/.exec(rest)) && method === 'POST') return createStatus(repository, m[1] as string, body);
    if ((m = /^\/pulls\/(\d+)\/merge$/.exec(rest)) && method === 'PUT') return mergePull(repository, Number(m[1]), body);
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const pr = pulls.get(pullKey(repository, Number(m[1])));
      return pr ? { status: 200, body: pullJson(pr) } : error(404, 'Not Found');
    }
    return error(404, 'Not Found');
  }

  function injected(method: string, path: string): Injection | undefined {
    const found = injections.find((i) => i.left > 0 && (!i.method || i.method === method) && (!i.path || i.path.test(path)));
    if (found) found.left -= 1;
    return found;
  }

  function rateLimited(injection: Injection): Answer {
    const headers: Record<string, string> = {};
    if (injection.retryAfterSeconds !== undefined) headers['retry-after'] = String(injection.retryAfterSeconds);
    if (injection.resetInSeconds !== undefined) {
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + injection.resetInSeconds);
    }
    return {
      status: injection.status,
      headers,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(injection.status),
      },
    };
  }

  // ---- the server -------------------------------------------------------------------------------

  function handle(req: IncomingMessage, text: string): Answer & { auth?: AuthKind } {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    if (!req.headers['user-agent']) {
      return error(403, 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).');
    }
    const version = req.headers['x-github-api-version'];
    if (version === undefined && requireApiVersion) {
      return error(400, "Missing 'X-GitHub-Api-Version' header: this stand-in requires it (GitHub would assume 2022-11-28)");
    }
    if (typeof version === 'string' && !API_VERSIONS.includes(version)) return error(400, `Unsupported 'X-GitHub-Api-Version' header: ${version}`);
    const caller = authenticate(req, path);
    if ('status' in caller) return caller;
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        return error(400, 'Problems parsing JSON');
      }
    }
    if (['POST', 'PATCH', 'PUT'].includes(method) && body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return error(400, 'Problems parsing JSON');
    }
    const injection = injected(method, path);
    if (injection?.kind === 'rate-limit') return { ...rateLimited(injection), auth: caller.kind };
    const query = Object.fromEntries(url.searchParams.entries());
    const answer = route(method, path, query, body, caller);
    if (injection?.kind === 'fail') {
      if (!injection.afterHandling || answer.status < 400) return { ...error(injection.status, 'Server Error'), auth: caller.kind };
    }
    return { ...answer, auth: caller.kind };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let answer: Answer & { auth?: AuthKind };
      try {
        answer = handle(req, text);
      } catch (err) {
        answer = error(500, `stand-in error: ${(err as Error).message}`);
      }
      const url = new URL(req.url ?? '/', 'http://stand-in');
      let body: unknown = text;
      try {
        body = text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        // keep the raw text
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (name !== 'authorization' && typeof value === 'string') headers[name] = value;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        headers,
        body,
        ...(answer.auth ? { auth: answer.auth } : {}),
        status: answer.status,
        at: new Date().toISOString(),
      };
      if (answer.status < 400) requests.push(recorded);
      else rejected.push({ ...recorded, response: answer.body });
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
        ...(answer.headers?.['x-ratelimit-remaining'] ? {} : { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' }),
        ...answer.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl,
    token,
    app: { appId, installationId, privateKey: privateKeyPem },
    requests,
    rejected,
    checkRuns: () => [...checkRuns.values()].map((run) => ({ ...run, annotations: [...run.annotations], annotationBatches: [...run.annotationBatches] })),
    statuses: () => [...statuses],
    merges: () => [...merges],
    installationTokensIssued: () => installationTokens.size,
    installationTokens: () => [...installationTokens.keys()],
    revokeInstallationTokens() {
      for (const key of installationTokens.keys()) installationTokens.set(key, 0);
    },
    addPullRequest(repository, number, pr) {
      pulls.set(pullKey(repository, number), {
        repository,
        number,
        headSha: pr.headSha.toLowerCase(),
        state: 'open',
        mergeable: pr.mergeable ?? true,
        merged: false,
        mergeCommitSha: null,
      });
    },
    pushToPullRequest(repository, number, sha) {
      const pr = pulls.get(pullKey(repository, number));
      if (!pr) throw new Error(`no pull request ${repository}#${number}`);
      pr.headSha = sha.toLowerCase();
    },
    pullRequest: (repository, number) => {
      const pr = pulls.get(pullKey(repository, number));
      return pr ? { ...pr } : undefined;
    },
    rateLimitNext(injection = {}) {
      injections.push({ ...injection, kind: 'rate-limit', left: injection.count ?? 1, status: injection.status ?? 403 });
    },
    failNext(injection = {}) {
      injections.push({ ...injection, kind: 'fail', left: injection.count ?? 1, status: injection.status ?? 502 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
