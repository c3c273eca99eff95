/** What opens beside the graph when a step is clicked: its state and verdict, attempts, gate, findings, report and output. */
import type { StepStatus } from '../../../workflows/types';
import { html, raw, type Html } from '../html';
import { renderMarkdown } from '../markdown';
import { VERDICT_LABEL } from '../../definition/verdict';
import { shortDuration, shortTime, stateWords, verdictOf, verdictWords } from '../step-view';

const MAX_OUTPUT_CHARS = 20_000;
const MAX_FINDINGS = 200;

interface FindingLike {
  path?: unknown;
  line?: unknown;
  column?: unknown;
  rule?: unknown;
  message?: unknown;
  severity?: unknown;
}

function findingsOf(output: unknown): FindingLike[] {
  const findings = (output as { findings?: unknown } | undefined)?.findings;
  return Array.isArray(findings) ? findings.filter((f): f is FindingLike => typeof f === 'object' && f !== null) : [];
}

function reportOf(output: unknown): string | undefined {
  const markdown = (output as { markdown?: unknown } | undefined)?.markdown;
  return typeof markdown === 'string' ? markdown : undefined;
}

function row(term: string, value: unknown): Html | '' {
  return value === undefined || value === '' ? '' : html`<dt>${term}</dt><dd>${value}</dd>`;
}

function findingsTable(findings: FindingLike[]): Html {
  const where = (f: FindingLike) => [f.path, f.line, f.column].filter((v) => v !== undefined).join(':');
  return html`<h3>Findings (${findings.length})</h3>
<table class="list findings"><thead><tr><th>Severity</th><th>Where</th><th>Rule</th><th>Message</th></tr></thead><tbody>
${findings.slice(0, MAX_FINDINGS).map((f) => html`<tr><td>${f.severity}</td><td>${where(f)}</td><td>${f.rule}</td><td>${f.message}</td></tr>`)}
</tbody></table>${findings.length > MAX_FINDINGS ? html`<p>${findings.length - MAX_FINDINGS} more not shown.</p>` : ''}`;
}

export function stepDetails(step: StepStatus, links: { webUi?: string }): Html {
  const gate = step.gate;
  const findings = findingsOf(step.output);
  const report = reportOf(step.output);
  let output = step.output === undefined ? undefined : JSON.stringify(step.output, null, 2);
  if (output !== undefined && output.length > MAX_OUTPUT_CHARS) output = `${output.slice(0, MAX_OUTPUT_CHARS)}\n… (${output.length - MAX_OUTPUT_CHARS} more characters)`;
  const verdict = verdictOf(step);
  return html`<h2>${step.name ?? step.id} <span class="badge">${stateWords(step.state)}</span>${
    verdict && verdict !== 'neutral' ? html` <span class="badge verdict vd-${verdict}" data-verdict="${verdict}">${verdictWords(verdict)}</span>` : ''
  }</h2>
<dl>
${row('verdict', verdict ? VERDICT_LABEL[verdict] : undefined)}
${row('step', step.id)}${row('uses', step.uses ?? (step.kind === 'gate' ? 'gate' : undefined))}${row('needs', step.needs.join(', '))}
${row('priority', step.priority)}${row('attempts', step.attempts)}${row('started', shortTime(step.startedAt))}${row('ended', shortTime(step.endedAt))}
${row('duration', step.durationMs !== undefined ? shortDuration(step.durationMs) : undefined)}${row('skipped because', step.skippedReason)}
${row('summary', step.summary)}${row('error', step.error)}${row('via fallback', step.viaFallback ? 'yes' : undefined)}
${row('undo', step.undo ? `${step.undo.state}${step.undo.error ? `: ${step.undo.error}` : ''}` : undefined)}
${
  gate
    ? html`${row('approvers', gate.approvers.join(', '))}${row('quorum', `${gate.approvals.length} of ${gate.required} approvals`)}
${row('deadline', gate.deadlineAt ? shortTime(gate.deadlineAt) : 'none')}${row('outcome', gate.outcome ? `${gate.outcome}${gate.decidedBy ? ` (by ${gate.decidedBy})` : ''}` : undefined)}
${row('reminders sent', gate.remindersSent || undefined)}${row('escalated', gate.escalated ? 'yes' : undefined)}
${[...gate.approvals, ...gate.rejections].map((d) => row(d.verdict === 'approve' ? 'approved by' : 'rejected by', `${d.by} at ${shortTime(d.at)}${d.comment ? ` — ${d.comment}` : ''}`))}`
    : ''
}
</dl>
${links.webUi ? html`<p><a href="${links.webUi}" target="_blank" rel="noopener noreferrer">Open in the Temporal Web UI</a></p>` : ''}
${findings.length > 0 ? findingsTable(findings) : ''}
${report !== undefined ? html`<h3>Report</h3><div class="report">${raw(renderMarkdown(report))}</div>` : ''}
${output !== undefined ? html`<h3>Output</h3><pre>${output}</pre>` : ''}`;
}
