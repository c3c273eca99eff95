// Frozen copy of the first workflow version; see review-v1.ts.
/** The workflow's "current details" in the Temporal Web UI: a live markdown table of the review's steps. */
import type { ReviewStatus, StepStatus } from './types';

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 120);
}

function note(step: StepStatus): string {
  if (step.gate) {
    const g = step.gate;
    return `${g.approvals.length}/${g.required} approvals${g.rejections.length ? `, rejected by ${g.rejections.map((d) => d.by).join(', ')}` : ''}`;
  }
  return step.error ?? step.skippedReason ?? step.summary ?? '';
}

export function renderDetails(status: ReviewStatus): string {
  const rows = status.steps.map(
    (s) =>
      `| \`${s.id}\` | ${s.state} | ${s.kind === 'gate' ? 'gate' : cell(s.uses)} | ${s.attempts || ''} | ${cell(note(s))} |`,
  );
  return [
    `**${status.pipeline}** review — **${status.state}** — ${status.progress.done}/${status.progress.total} steps (${status.progress.percent}%)`,
    '',
    '| step | state | uses | attempts | notes |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
