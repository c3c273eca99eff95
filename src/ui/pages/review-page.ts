/** The page of one review: its state, its DAG drawn live, the step details panel, and the operator's controls. */
import type { ReviewStatus } from '../../../workflows/types';
import { timeoutRanOut } from '../../definition/status-notes';
import { html, raw, type Html } from '../html';
import { REVIEW_STATE_LABEL, shortTime, stateWords } from '../step-view';

export interface ReviewPageParts {
  status: ReviewStatus;
  svg: string;
  /** The review's path on this server, `/reviews/<id>`. */
  path: string;
  webUiUrl?: string;
  /** Present when an operator is signed in: the CSRF token their forms carry. */
  operator?: { csrf: string };
  notice?: string;
}

const OPERATOR_ACTIONS: { action: string; label: string; when: (s: ReviewStatus) => boolean }[] = [
  { action: 'pause', label: 'Pause', when: (s) => s.phase !== 'closed' && !s.paused },
  { action: 'resume', label: 'Resume', when: (s) => s.phase !== 'closed' && s.paused === true },
  { action: 'cancel', label: 'Cancel', when: (s) => s.phase !== 'closed' },
  { action: 'retry', label: 'Retry failed steps', when: (s) => s.phase === 'retry_window' && !timeoutRanOut(s, Date.now()) },
];

function operatorControls(parts: ReviewPageParts): Html | '' {
  if (!parts.operator) return '';
  const forms = OPERATOR_ACTIONS.filter((a) => a.when(parts.status)).map(
    (a) => html`<form method="post" action="${parts.path}/${a.action}"><input type="hidden" name="csrf" value="${parts.operator?.csrf ?? ''}"><button type="submit" name="action" value="${a.action}">${a.label}</button></form>`,
  );
  const noRetry = timeoutRanOut(parts.status, Date.now()) ? html`<span>No retry: the review's timeout has run out; start a new review to run it again.</span>` : '';
  return html`<div class="actions" aria-label="operator controls">${forms.length > 0 ? forms : html`<span>No control applies to a closed review.</span>`}${noRetry}</div>`;
}

export function reviewHeader(status: ReviewStatus): Html {
  return html`<h1>${status.reviewId} <span id="review-state" class="badge rs-${status.state}" data-state="${status.state}">${stateWords(status.state, REVIEW_STATE_LABEL)}</span></h1>
<p class="meta">pipeline ${status.pipeline}${status.version ? ` v${status.version}` : ''} · priority ${status.priority}${status.subject ? ` · ${status.subject}` : ''}${status.tenant ? ` · tenant ${status.tenant}` : ''} · started ${shortTime(status.startedAt)}${status.endedAt ? ` · ended ${shortTime(status.endedAt)}` : ''} · <span id="review-progress">${status.progress.done}/${status.progress.total} steps (${status.progress.percent}%)</span></p>
${status.lastError && ['failed', 'rejected', 'cancelled'].includes(status.state) ? html`<p class="refusal">${status.lastError}</p>` : ''}`;
}

export function graphPanel(path: string, svg: string): Html {
  return html`<div class="layout">
<div class="graph" id="graph" data-review-path="${path}">${raw(svg)}</div>
<aside class="details" id="details" aria-live="polite"><p>Select a step to see its output, findings and report.</p></aside>
</div>`;
}

export function reviewPage(parts: ReviewPageParts): Html {
  const { status } = parts;
  return html`${reviewHeader(status)}
${parts.notice ? html`<p class="notice" role="status">${parts.notice}</p>` : ''}
${operatorControls(parts)}
<p class="meta">${parts.webUiUrl ? html`<a href="${parts.webUiUrl}" target="_blank" rel="noopener noreferrer">Open in the Temporal Web UI</a> · ` : ''}<a href="${parts.path}/graph.svg">graph as SVG</a></p>
${graphPanel(parts.path, parts.svg)}
${status.notices && status.notices.length > 0 ? html`<h2>Notices</h2><ul>${status.notices.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
${status.decisions.length > 0 ? html`<h2>Decisions</h2><ul>${status.decisions.map((d) => html`<li>${d.verdict} on ${d.step} by ${d.by} at ${shortTime(d.at)}${d.comment ? ` — ${d.comment}` : ''}</li>`)}</ul>` : ''}`;
}
