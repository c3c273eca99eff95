/** What a signed approval link opens: the review, its reports, the gate, and Approve / Reject with a comment. */
import type { GateStatus, ReviewStatus, StepStatus } from '../../../workflows/types';
import { html, raw, type Html } from '../html';
import { renderMarkdown } from '../markdown';
import { shortTime } from '../step-view';
import { graphPanel, reviewHeader } from './review-page';

export interface ApprovalPageParts {
  status: ReviewStatus;
  step: StepStatus;
  gate: GateStatus;
  approver: string;
  token: string;
  expiresAt: number;
  svg: string;
  path: string;
}

function reports(status: ReviewStatus): Html[] {
  return status.steps.flatMap((s) => {
    const markdown = (s.output as { markdown?: unknown } | undefined)?.markdown;
    return typeof markdown === 'string' ? [html`<h2>Report: ${s.name ?? s.id}</h2><div class="report">${raw(renderMarkdown(markdown))}</div>`] : [];
  });
}

export function approvalPage(parts: ApprovalPageParts): Html {
  const { status, step, gate } = parts;
  const decided = [...gate.approvals, ...gate.rejections];
  return html`${reviewHeader(status)}
<section class="decide">
<h2>Your decision on ${step.name ?? step.id}, as ${parts.approver}</h2>
<p>Approvers: ${gate.approvers.join(', ')} · ${gate.approvals.length} of ${gate.required} approvals so far${gate.deadlineAt ? ` · deadline ${shortTime(gate.deadlineAt)}` : ''} · this link expires ${shortTime(new Date(parts.expiresAt).toISOString())} and works once.</p>
${decided.length > 0 ? html`<ul>${decided.map((d) => html`<li>${d.verdict} by ${d.by}${d.comment ? ` — ${d.comment}` : ''}</li>`)}</ul>` : ''}
<form method="post" action="/approve">
<input type="hidden" name="t" value="${parts.token}">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<button type="submit" class="approve" name="verdict" value="approve">Approve</button>
<button type="submit" class="reject" name="verdict" value="reject">Reject</button>
</form>
</section>
${reports(status)}
<h2>Steps</h2>
${graphPanel(parts.path, parts.svg)}`;
}
