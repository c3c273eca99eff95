/**
 * action: check-run — create or update a check run with annotations from findings, found again on retry.
 * A run asked to conclude `success` while a step of its `results` found problems concludes `failure`
 * instead, and its summary says which steps: a red check never shows green.
 */
import { StepError, type ExecutorContext } from '../../executor';
import { annotationKey, batches, findingsOfResults, stepsWithProblems, toAnnotation, withoutPresent, type PlacedFinding } from './annotations';
import { GitHubApiError, type GitHubClient } from './client';
import type { Annotation, CheckRunInputType } from './schema';
import { cutMarkdown } from './text';

/** GitHub's limit on output.summary and output.text. */
export const MAX_OUTPUT_CHARS = 65_535;
const LISTED_UNPLACED = 50;
const PAGE = 100;

interface CheckRun {
  id: number;
  name: string;
  external_id: string | null;
  html_url: string | null;
  status: string;
  conclusion: string | null;
  output?: { annotations_count?: number } | null;
}

interface Output {
  title: string;
  summary: string;
  text?: string;
}

export async function checkRun(input: CheckRunInputType, client: GitHubClient, ctx: ExecutorContext) {
  const base = `/repos/${input.repository}`;
  const externalId = input.external_id ?? ctx.review.id;
  const findings: PlacedFinding[] = [...(input.results ? findingsOfResults(input.results) : []), ...(input.findings ?? [])];
  const annotations: Annotation[] = [];
  const unplaced: PlacedFinding[] = [];
  for (const finding of findings) {
    const annotation = toAnnotation(finding, input.path);
    if (annotation) annotations.push(annotation);
    else unplaced.push(finding);
  }
  annotations.push(...(input.annotations ?? []));
  const problems = input.results ? stepsWithProblems(input.results) : [];
  const raised = input.conclusion === 'success' && problems.length > 0;
  const conclusion = raised ? 'failure' : input.conclusion;
  if (raised) ctx.logger.info({ event: 'github.check-run.raised', problems }, `check run ${input.name} concludes failure, not success: ${problems.join(', ')} found problems`);
  const note = raised ? `**Concluded failure, not success**: ${problems.map((p) => `\`${p}\``).join(', ')} found problems.` : undefined;
  const built = buildOutput(input, findings, unplaced, annotations.length, note);
  const output = built?.output;

  ctx.heartbeat({ phase: 'github-check-run', step: 'find' });
  const existing = input.check_run_id
    ? (await client.request<CheckRun>('GET', `${base}/check-runs/${input.check_run_id}`)).data
    : await findCheckRun(client, base, input.head_sha, input.name, externalId);

  let toSend = annotations;
  if (existing && (existing.output?.annotations_count ?? 0) > 0 && annotations.length > 0) {
    // An earlier attempt may have sent some of them already: GitHub appends, so send only the rest.
    toSend = withoutPresent(annotations, await listAnnotations(client, base, existing.id, existing.output?.annotations_count ?? 0));
  }

  const parts = batches(toSend);
  if (parts.length === 0) parts.push([]);
  const finalStatus = conclusion !== undefined ? 'completed' : input.status;
  let run: CheckRun | undefined = existing;
  let annotationRequests = 0;
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const body: Record<string, unknown> = { name: input.name, external_id: externalId };
    if (input.details_url !== undefined) body.details_url = input.details_url;
    if (last) {
      if (input.status !== undefined) body.status = input.status;
      if (conclusion !== undefined) body.conclusion = conclusion;
    } else if (run === undefined && finalStatus !== undefined && finalStatus !== 'queued') {
      // The run is completed only by the request carrying the last annotations.
      body.status = 'in_progress';
    }
    if (output) body.output = part.length > 0 ? { ...output, annotations: part } : output;
    if (part.length > 0) annotationRequests += 1;
    ctx.heartbeat({ phase: 'github-check-run', step: run ? 'update' : 'create', request: index + 1, of: parts.length });
    run = run === undefined ? await write(client, 'POST', `${base}/check-runs`, { ...body, head_sha: input.head_sha }) : await write(client, 'PATCH', `${base}/check-runs/${run.id}`, body);
  }
  const done = run as CheckRun;
  ctx.logger.info(
    { event: 'github.check-run', checkRunId: done.id, created: existing === undefined, annotations: toSend.length, requests: parts.length },
    `check run ${input.name} ${existing ? 'updated' : 'created'}`,
  );
  return {
    action: 'check-run' as const,
    checkRunId: done.id,
    htmlUrl: done.html_url ?? null,
    status: done.status,
    conclusion: done.conclusion ?? null,
    created: existing === undefined,
    annotations: annotations.length,
    annotationRequests,
    skippedFindings: unplaced.length,
    summaryCut: built?.cut ?? false,
  };
}

async function write(client: GitHubClient, method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>): Promise<CheckRun> {
  try {
    return (await client.request<CheckRun>(method, path, body)).data;
  } catch (err) {
    if (err instanceof GitHubApiError && err.status === 403) {
      if (client.authKind === 'token') {
        throw StepError.nonRetryable(
          `GitHub refused the check run (403: ${err.apiMessage}): only a GitHub App may create or update check runs; give \`app\` (appId, privateKey, installationId) of an App with checks:write, or report a commit status (action: status) with the token`,
          'GitHubCheckRunsNeedApp',
          err.details,
        );
      }
      throw StepError.nonRetryable(
        `GitHub refused the check run (403: ${err.apiMessage}): the App's installation needs the checks:write permission on this repository`,
        'GitHubPermissionDenied',
        err.details,
      );
    }
    throw err;
  }
}

/** The newest check run on `sha` with this name and external id, if an earlier attempt or step made one. */
async function findCheckRun(client: GitHubClient, base: string, sha: string, name: string, externalId: string): Promise<CheckRun | undefined> {
  const query = new URLSearchParams({ check_name: name, filter: 'all', per_page: String(PAGE) });
  const { data } = await client.request<{ check_runs?: CheckRun[] }>('GET', `${base}/commits/${sha}/check-runs?${query.toString()}`);
  const matching = (data.check_runs ?? []).filter((run) => run.name === name && run.external_id === externalId);
  return matching.sort((a, b) => b.id - a.id)[0];
}

async function listAnnotations(client: GitHubClient, base: string, id: number, count: number): Promise<Parameters<typeof annotationKey>[0][]> {
  const out: Parameters<typeof annotationKey>[0][] = [];
  for (let page = 1; out.length < count; page += 1) {
    const { data } = await client.request<Parameters<typeof annotationKey>[0][]>('GET', `${base}/check-runs/${id}/annotations?per_page=${PAGE}&page=${page}`);
    if (!Array.isArray(data) || data.length === 0) break;
    out.push(...data);
    if (data.length < PAGE) break;
  }
  return out;
}

function buildOutput(
  input: CheckRunInputType,
  findings: readonly PlacedFinding[],
  unplaced: readonly PlacedFinding[],
  annotations: number,
  note?: string,
): { output: Output; cut: boolean } | undefined {
  if (!input.output && annotations === 0 && findings.length === 0 && note === undefined) return undefined;
  let summary = input.output?.summary ?? defaultSummary(findings);
  if (note !== undefined) summary = `${note}\n\n${summary}`;
  if (unplaced.length > 0) {
    const lines = unplaced
      .slice(0, LISTED_UNPLACED)
      .map((f) => `- ${[f.step, f.rule].filter((p) => p).join(': ') || f.severity}: ${f.message.replace(/\s*\n\s*/g, ' ')} (line ${f.line})`);
    if (unplaced.length > LISTED_UNPLACED) lines.push(`- … and ${unplaced.length - LISTED_UNPLACED} more`);
    summary += `\n\n### Findings without a file\n\n${lines.join('\n')}`;
  }
  const cutSummary = cutMarkdown(summary, MAX_OUTPUT_CHARS, 'summary');
  const output: Output = { title: input.output?.title ?? input.name, summary: cutSummary.text };
  let cut = cutSummary.cut;
  if (input.output?.text !== undefined) {
    const cutText = cutMarkdown(input.output.text, MAX_OUTPUT_CHARS, 'text');
    output.text = cutText.text;
    cut ||= cutText.cut;
  }
  return { output, cut };
}

function defaultSummary(findings: readonly PlacedFinding[]): string {
  if (findings.length === 0) return 'No findings.';
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('info'), 'notice'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 ? '' : 's'}`);
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}
