/**
 * The workflow's "current details" in the Temporal Web UI: a live markdown table of the review's steps,
 * each with its state and its verdict (a check that ran and found errors reads "found problems", not
 * passed), and a link to the review's page when the review was started with one. No image of the graph:
 * the Web UI draws this markdown in a frame whose Content Security Policy (default-src 'none') blocks
 * every image (test/webui/details-links.test.ts tried one), so the page's link is the way to the picture.
 * Bounded: a large review shows the steps in progress and the latest to finish, not all of them.
 */
import { undecidedGateReason } from '../src/definition/status-notes';
import { VERDICT_LABEL, type StepVerdict } from '../src/definition/verdict';
import type { ReviewRun } from './review-run';
import type { StepStatus } from './types';

const ALL_ROWS_UP_TO = 30;
const ACTIVE_ROWS = 20;

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 120);
}

function note(step: StepStatus, run: ReviewRun): string {
  const gate = run.gates.get(step.id);
  if (gate && undecidedGateReason(step) === undefined) {
    const g = gate.status(Date.now(), run.held);
    return `${g.approvals.length}/${g.required} approvals${g.rejections.length ? `, rejected by ${g.rejections.map((d) => d.by).join(', ')}` : ''}`;
  }
  return step.error ?? step.skippedReason ?? step.summary ?? '';
}

const VERDICT_MARK: Record<StepVerdict, string> = { passed: '✅ ', found_problems: '❌ ', neutral: '' };

/** The verdict as words (with a mark, never the mark alone); empty until the step finishes. */
export function verdictCell(verdict: StepVerdict | undefined): string {
  return verdict === undefined ? '' : `${VERDICT_MARK[verdict]}${VERDICT_LABEL[verdict]}`;
}

function row(step: StepStatus, run: ReviewRun): string {
  return `| \`${step.id}\` | ${step.state} | ${verdictCell(step.verdict)} | ${step.kind === 'gate' ? 'gate' : cell(step.uses)} | ${step.attempts || ''} | ${cell(note(step, run))} |`;
}

/**
 * A link to the review's page, when the input names one that is an http(s) URL: markdown that cannot be
 * broken out of (no spaces, brackets or parentheses left unescaped).
 */
export function pageLink(pageUrl: string | undefined): string | undefined {
  if (typeof pageUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(pageUrl) || pageUrl.length > 2000) return undefined;
  const safe = pageUrl.replace(/[()<>[\]"'`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[Open the review page](${safe})`;
}

function shownSteps(run: ReviewRun): { steps: StepStatus[]; hidden: number } {
  if (run.book.size <= ALL_ROWS_UP_TO) return { steps: run.book.all(), hidden: 0 };
  const active = run.book.activeSteps().slice(0, ACTIVE_ROWS);
  const shown = new Set(active.map((s) => s.id));
  const recent = [...run.book.recent].reverse().filter((id) => !shown.has(id));
  const steps = [...active, ...recent.map((id) => run.book.status(id)).filter((s): s is StepStatus => s !== undefined)];
  return { steps, hidden: run.book.size - steps.length };
}

export function renderDetails(run: ReviewRun): string {
  const done = run.book.doneCount;
  const total = run.book.size;
  const { steps, hidden } = shownSteps(run);
  const why = run.lifecycle.reason ? ` — ${cell(run.lifecycle.reason)}` : '';
  const link = pageLink(run.input.pageUrl);
  return [
    `**${run.pipeline.name}** review — **${run.state}**${why} — ${done}/${total} steps (${Math.round((done / total) * 100)}%)`,
    ...(link ? ['', link] : []),
    '',
    '| step | state | verdict | uses | attempts | notes |',
    '|---|---|---|---|---|---|',
    ...steps.map((s) => row(s, run)),
    ...(hidden > 0 ? [`| … | ${hidden} more steps | | | | |`] : []),
  ].join('\n');
}

/**
 * The review's "current details", rendered only when someone asks for them: the SDK answers the Web UI's
 * `__temporal_workflow_metadata` query by converting them to JSON, which calls `toJSON`. Rendering after
 * every change cost each review CPU for a table few people open, and a rendering error could fail a
 * workflow task; now it can only change what that query answers.
 */
export function liveDetails(run: ReviewRun): string {
  const details = {
    toJSON(): string {
      try {
        return renderDetails(run);
      } catch (err) {
        return `**${run.pipeline.name}** review — **${run.state}** (the step table could not be drawn: ${err instanceof Error ? err.message : String(err)})`;
      }
    },
  };
  return details as unknown as string;
}
