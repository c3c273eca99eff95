/**
 * How a step and a review read on the page: every state has a word and a symbol (never colour alone),
 * and each step box has a short detail line (attempts, duration, skip reason, gate quorum and deadline).
 * The same compact view feeds the first render and every live update.
 */
import type { ReviewState, ReviewStatus, StepState, StepStatus } from '../../workflows/types';
import { undecidedGateReason } from '../definition/status-notes';
import { stepVerdict, VERDICT_LABEL, type StepVerdict } from '../definition/verdict';
import { formatMs } from '../cli/render/format';

export const STEP_STATE_LABEL: Record<StepState, { symbol: string; text: string }> = {
  pending: { symbol: '○', text: 'pending' },
  scheduled: { symbol: '◔', text: 'scheduled' },
  running: { symbol: '▶', text: 'running' },
  retrying: { symbol: '↻', text: 'retrying' },
  awaiting_approval: { symbol: '◇', text: 'awaiting approval' },
  succeeded: { symbol: '✓', text: 'succeeded' },
  failed: { symbol: '✗', text: 'failed' },
  skipped: { symbol: '↷', text: 'skipped' },
  cancelled: { symbol: '⊘', text: 'cancelled' },
};

export const REVIEW_STATE_LABEL: Record<ReviewState, { symbol: string; text: string }> = {
  pending: { symbol: '○', text: 'pending' },
  running: { symbol: '▶', text: 'running' },
  paused: { symbol: '‖', text: 'paused' },
  awaiting_approval: { symbol: '◇', text: 'awaiting approval' },
  completed: { symbol: '✓', text: 'completed' },
  failed: { symbol: '✗', text: 'failed' },
  cancelled: { symbol: '⊘', text: 'cancelled' },
  rejected: { symbol: '✗', text: 'rejected' },
};

/** How a verdict reads on the page, in words and a symbol (never colour alone); neutral is drawn as before. */
export const VERDICT_SYMBOL: Record<StepVerdict, string> = {
  passed: '✔',
  found_problems: '⚠',
  neutral: '–',
};

/**
 * The step's verdict: the status's own, else derived from its state and output (statuses from workers
 * older than the field); undefined while the step has not finished.
 */
export function verdictOf(step: StepStatus): StepVerdict | undefined {
  return step.verdict ?? stepVerdict(step);
}

export function verdictWords(verdict: StepVerdict): string {
  return `${VERDICT_SYMBOL[verdict]} ${VERDICT_LABEL[verdict]}`;
}

export function stateWords(state: string, table: Record<string, { symbol: string; text: string }> = STEP_STATE_LABEL): string {
  const label = table[state];
  return label ? `${label.symbol} ${label.text}` : state;
}

/** 850ms, 12.3s, 4m5s, 2h10m, 3d4h; nothing for a negative duration. */
export function shortDuration(ms: number): string {
  return ms < 0 ? '' : formatMs(ms);
}

/** 2025-01-31 14:05Z */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The step's short detail line, as it fits in its box. */
export function stepDetail(step: StepStatus): string {
  const gate = step.gate;
  if (gate && undecidedGateReason(step) === undefined) {
    const quorum = `${gate.approvals.length}/${gate.required} approved${gate.rejections.length > 0 ? `, ${gate.rejections.length} rejected` : ''}`;
    if (gate.outcome) return `${quorum} · ${gate.outcome.replace('_', ' ')}`;
    return gate.deadlineAt ? `${quorum} · due ${shortTime(gate.deadlineAt).slice(5)}` : quorum;
  }
  if (step.state === 'skipped') return oneLine(`skipped: ${step.skippedReason ?? 'not needed'}`, 34);
  const parts: string[] = [];
  if (step.attempts > 1 || step.state === 'retrying') parts.push(`attempt ${step.attempts}`);
  if (step.durationMs !== undefined) parts.push(shortDuration(step.durationMs));
  if (step.viaFallback) parts.push('via fallback');
  if (parts.length === 0 && step.summary) parts.push(step.summary);
  if (parts.length === 0 && step.error) parts.push(step.error);
  return oneLine(parts.join(' · '), 34);
}

/** Everything the page says about a step without opening it: for the box, its tooltip and screen readers. */
export function stepDescription(step: StepStatus): string {
  const lines = [`${step.name ?? step.id} (${step.id}${step.uses ? `, uses ${step.uses}` : step.kind === 'gate' ? ', gate' : ''})`, `state: ${STEP_STATE_LABEL[step.state]?.text ?? step.state}`];
  const verdict = verdictOf(step);
  if (verdict) lines.push(`verdict: ${VERDICT_LABEL[verdict]}`);
  if (step.attempts > 0) lines.push(`attempts: ${step.attempts}`);
  if (step.durationMs !== undefined) lines.push(`duration: ${shortDuration(step.durationMs)}`);
  if (step.skippedReason) lines.push(`skipped: ${step.skippedReason}`);
  if (step.error) lines.push(`error: ${oneLine(step.error, 300)}`);
  if (step.summary) lines.push(`summary: ${oneLine(step.summary, 300)}`);
  if (step.gate) {
    const g = step.gate;
    lines.push(`approvers: ${g.approvers.join(', ')}; ${g.approvals.length} of ${g.required} approvals needed`);
    if (g.deadlineAt) lines.push(`deadline: ${shortTime(g.deadlineAt)}`);
    if (g.outcome) lines.push(`outcome: ${g.outcome}${g.decidedBy ? ` (by ${g.decidedBy})` : ''}`);
  }
  return lines.join('\n');
}

/** What a live update carries for one step. */
export interface LiveStep {
  id: string;
  state: StepState;
  label: string;
  /** The verdict, once the step has finished (src/definition/verdict.ts). */
  verdict?: StepVerdict;
  /** The verdict in words and a symbol as the box shows it: '' for none and for neutral (drawn as before). */
  verdictLabel: string;
  detail: string;
  description: string;
}

/** What a live update carries for the review. */
export interface LiveReview {
  reviewId: string;
  state: ReviewState;
  label: string;
  paused: boolean;
  progress: ReviewStatus['progress'];
  lastError?: string;
  steps: LiveStep[];
}

export function liveStep(step: StepStatus): LiveStep {
  const verdict = verdictOf(step);
  return {
    id: step.id,
    state: step.state,
    label: stateWords(step.state),
    ...(verdict ? { verdict } : {}),
    verdictLabel: verdict && verdict !== 'neutral' ? verdictWords(verdict) : '',
    detail: stepDetail(step),
    description: stepDescription(step),
  };
}

export function liveReview(status: ReviewStatus): LiveReview {
  return {
    reviewId: status.reviewId,
    state: status.state,
    label: stateWords(status.state, REVIEW_STATE_LABEL),
    paused: status.paused === true,
    progress: status.progress,
    ...(status.lastError ? { lastError: status.lastError } : {}),
    steps: status.steps.map(liveStep),
  };
}
