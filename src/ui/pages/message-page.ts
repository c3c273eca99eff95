/** Short pages: a refusal (why, and what to do), and the operator's sign-in form. */
import { html, type Html } from '../html';

export function refusalPage(title: string, message: string): Html {
  return html`<h1>${title}</h1><p class="refusal" role="alert">${message}</p><p><a href="/">All reviews</a></p>`;
}

export function loginPage(enabled: boolean, error?: string): Html {
  if (!enabled) return refusalPage('Operator sign-in is off', 'This review page has no operator token (REVIEW_UI_OPERATOR_TOKEN); it is read-only except for signed approval links.');
  return html`<h1>Operator sign-in</h1>
${error ? html`<p class="refusal" role="alert">${error}</p>` : ''}
<form method="post" action="/login"><label>Operator token <input type="password" name="token" autocomplete="current-password" required></label> <button type="submit">Sign in</button></form>`;
}
