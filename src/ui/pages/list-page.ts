/** The list of reviews, newest first, with filters on state, pipeline, tenant and priority. */
import type { ReviewSummary } from '../../client/types';
import { html, type Html } from '../html';
import { REVIEW_STATE_LABEL, shortTime, stateWords } from '../step-view';

export interface ListFilters {
  state?: string;
  pipeline?: string;
  tenant?: string;
  priority?: string;
}

const PRIORITIES = ['critical', 'high', 'normal', 'low'];

function select(name: string, label: string, values: readonly string[], current: string | undefined): Html {
  return html`<label>${label}<select name="${name}"><option value="">any</option>${values.map((v) => html`<option value="${v}"${current === v ? html` selected` : ''}>${v}</option>`)}</select></label>`;
}

export function listPage(reviews: readonly ReviewSummary[], filters: ListFilters, error?: string): Html {
  const rows = reviews.map(
    (r) => html`<tr>
<td><a href="/reviews/${encodeURIComponent(r.reviewId)}">${r.reviewId}</a></td>
<td><span class="badge rs-${r.state ?? 'unknown'}">${r.state ? stateWords(r.state, REVIEW_STATE_LABEL) : r.execution.toLowerCase()}</span></td>
<td>${r.pipeline ?? ''}</td><td>${r.priority ?? ''}</td><td>${r.tenant ?? ''}</td><td>${r.subject ?? ''}</td>
<td>${shortTime(r.startTime)}</td></tr>`,
  );
  return html`<h1>Reviews</h1>
<form class="filters" method="get" action="/">
${select('state', 'State', Object.keys(REVIEW_STATE_LABEL), filters.state)}
<label>Pipeline<input name="pipeline" value="${filters.pipeline ?? ''}" size="16"></label>
<label>Tenant<input name="tenant" value="${filters.tenant ?? ''}" size="16"></label>
${select('priority', 'Priority', PRIORITIES, filters.priority)}
<button type="submit">Filter</button>
</form>
${error ? html`<p class="refusal">${error}</p>` : ''}
${
  reviews.length === 0
    ? html`<p>No reviews match.</p>`
    : html`<table class="list"><thead><tr><th>Review</th><th>State</th><th>Pipeline</th><th>Priority</th><th>Tenant</th><th>Subject</th><th>Started</th></tr></thead><tbody>${rows}</tbody></table>`
}`;
}
