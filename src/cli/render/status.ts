/**
 * A review's status for people: header, progress bar, the review page's link, the steps that found
 * problems, the DAG with live states, and a step table with each step's state and verdict.
 */
import { shellWord } from './shell-word';
import { renderAscii } from '../../definition/render';
import type { Pipeline } from '../../definition/schema';
import { timeoutRanOut, undecidedGateReason } from '../../definition/status-notes';
import { stepVerdict, VERDICT_LABEL, type StepVerdict } from '../../definition/verdict';
import type { ReviewStatus, StepStatus } from '../../../workflows/types';
import { formatMs, formatTime, paintState, progressBar, table } from './format';

/** The pipeline's shape as far as the status shows it (enough to draw the DAG). */
export function pipelineFromStatus(status: ReviewStatus): Pipeline {
  return {
    name: status.pipeline,
    steps: status.steps.map((step) => ({
      id: step.id,
      ...(step.name !== undefined ? { name: step.name } : {}),
      ...(step.uses !== undefined ? { uses: step.uses } : {}),
      needs: step.needs,
      ...(step.kind === 'gate' ? { gate: { approvers: step.gate?.approvers ?? ['?'], required: step.gate?.required ?? 1 } } : {}),
    })),
  };
}

export function stepStates(status: ReviewStatus): Record<string, string> {
  return Object.fromEntries(status.steps.map((s) => [s.id, shownState(s)]));
}

/** A step's state as people read it: a gate that was rejected shows `rejected`, not the `failed` it ends in. */
function shownState(step: StepStatus): string {
  return step.state === 'failed' && step.gate?.outcome === 'rejected' ? 'rejected' : step.state;
}

function stepDuration(step: StepStatus, now: number): string {
  if (step.durationMs !== undefined) return formatMs(step.durationMs);
  if (step.startedAt && !step.endedAt && ['running', 'retrying', 'awaiting_approval'].includes(step.state)) {
    return `${formatMs(now - Date.parse(step.startedAt))}…`;
  }
  if (step.startedAt && step.endedAt) return formatMs(Date.parse(step.endedAt) - Date.parse(step.startedAt));
  return '';
}

/** The step's verdict; derived here for statuses from workers older than the field. */
export function verdictOf(step: StepStatus): StepVerdict | undefined {
  return step.verdict ?? stepVerdict(step);
}

function stepNote(step: StepStatus): string {
  if (step.gate && undecidedGateReason(step) === undefined) {
    const g = step.gate;
    const who = g.approvals.map((d) => d.by).concat(g.rejections.map((d) => `${d.by} (rejected)`));
    const waiting = step.state === 'awaiting_approval' ? ` waiting for ${g.approvers.join(' or ')}` : '';
    return `${g.approvals.length}/${g.required} approvals${who.length ? `: ${who.join(', ')}` : ''}${waiting}`;
  }
  const text = step.error ?? step.skippedReason ?? step.summary ?? (step.waitingForWorker ? 'sent to its task queue; no worker has taken it yet' : '');
  const undo = step.undo ? `undo ${step.undo.state}${step.undo.error ? `: ${step.undo.error}` : ''}` : '';
  return [undo, text].filter(Boolean).join('; ').replace(/\s+/g, ' ').slice(0, 100);
}

/** What a failed review waiting in its retry window accepts: a retry, unless its timeout has run out. */
function retryLine(status: ReviewStatus, now: number): string {
  if (timeoutRanOut(status, now)) {
    return "no retry: the review's timeout has run out (a retry would time out at once); start a new review";
  }
  return `waiting for a retry: review retry ${shellWord(status.reviewId)}`;
}

export interface StatusRenderOptions {
  color?: boolean;
  now?: number;
  /** The review's page, printed under the header (see src/client/page-url.ts). */
  pageUrl?: string;
}

export function renderStatus(status: ReviewStatus, options: StatusRenderOptions = {}): string {
  const color = options.color ?? false;
  const now = options.now ?? Date.now();
  const { progress } = status;
  const elapsed = (status.endedAt ? Date.parse(status.endedAt) : now) - Date.parse(status.startedAt);
  const lines = [
    `review ${status.reviewId}  ${paintState(status.state, color)}`,
    `pipeline ${status.pipeline}${status.version !== undefined ? ` v${status.version}` : ''}  priority ${status.priority}` +
      `${status.subject ? `  subject ${status.subject}` : ''}${status.tenant ? `  tenant ${status.tenant}` : ''}`,
    `started ${formatTime(status.startedAt)}${status.endedAt ? `  ended ${formatTime(status.endedAt)}` : ''}  elapsed ${formatMs(elapsed)}`,
    `${progressBar(progress.percent, 24, color || process.env.LANG?.includes('UTF') === true)}  ${progress.done}/${progress.total} steps`,
  ];
  if (options.pageUrl) lines.push(`page ${options.pageUrl}`);
  if (['failed', 'rejected', 'cancelled'].includes(status.state)) {
    const reason = [...status.transitions].reverse().find((t) => t.to === status.state)?.reason;
    if (reason) lines.push(`why: ${reason}`);
    else if (status.lastError) lines.push(`error: ${status.lastError}`);
  }
  if (status.phase === 'retry_window') lines.push(retryLine(status, now));
  if (status.paused && status.state !== 'paused') lines.push(`paused: no step starts until review resume ${shellWord(status.reviewId)}`);
  const problems = status.steps.filter((s) => verdictOf(s) === 'found_problems').map((s) => s.id);
  if (problems.length > 0) lines.push(`${paintState('found problems', color)}: ${problems.join(', ')}`);
  if (status.steps.length > 0) {
    lines.push('', renderAscii(pipelineFromStatus(status), stepStates(status), { color }).trimEnd(), '');
    const rows = status.steps.map((s) => {
      const verdict = verdictOf(s);
      return [s.id, shownState(s), verdict ? VERDICT_LABEL[verdict] : '', s.attempts ? String(s.attempts) : '', formatTime(s.startedAt), stepDuration(s, now), stepNote(s)];
    });
    lines.push(table(['STEP', 'STATE', 'VERDICT', 'ATTEMPTS', 'STARTED', 'DURATION', 'NOTES'], rows));
  }
  if (status.decisions.length > 0) {
    lines.push('', 'decisions:');
    for (const d of status.decisions) lines.push(`  ${formatTime(d.at)}  ${d.verdict} ${d.step} by ${d.by}${d.comment ? `: ${d.comment}` : ''}`);
  }
  if (status.finalActions && status.finalActions.length > 0) {
    lines.push('', 'finally:');
    for (const a of status.finalActions) lines.push(`  ${a.name} (${a.uses}) ${a.state}${a.error ? `: ${a.error}` : a.summary ? `: ${a.summary}` : ''}`);
  }
  if (status.notices && status.notices.length > 0) {
    lines.push('', 'notices:');
    for (const notice of status.notices) lines.push(`  ${notice}`);
  }
  return `${lines.join('\n')}\n`;
}
