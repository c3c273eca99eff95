/** Building HTML by hand, safely: every value goes through `escapeHtml`, and pages share one shell. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/** Trusted markup (produced by this project's own renderers). */
export function raw(text: string): Html {
  return new Html(text);
}

export interface PageShell {
  title: string;
  body: Html;
  /** Shown at the right of the top bar: who is signed in, and a sign-in or sign-out control. */
  session?: Html;
}

export function pageShell({ title, body, session }: PageShell): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<link rel="stylesheet" href="/assets/review-page.css">
<script src="/assets/review-page.js" defer></script>
</head>
<body>
<header class="top"><a href="/" class="brand">Reviews</a><span class="session">${session}</span></header>
<main>${body}</main>
</body>
</html>
`.text;
}
