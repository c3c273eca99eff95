/**
 * The review page's address: `${REVIEW_UI_BASE_URL}/reviews/${encodeURIComponent(reviewId)}`, served by the
 * project's web app. Reviews started through the client carry it in their input (`pageUrl`), so their
 * current details in the Temporal Web UI link to it; the CLI prints it and the webhook gives it to GitHub as
 * the status or check run's details link. No Node imports beyond `process.env` as a default.
 */

export const UI_BASE_URL_VARIABLE = 'REVIEW_UI_BASE_URL';

/** The base URL without trailing slashes, or undefined when unset or not an http(s) URL. */
export function reviewUiBase(base: string | undefined = process.env[UI_BASE_URL_VARIABLE]): string | undefined {
  const text = base?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) return undefined;
  // Written as the review page's server writes it (src/ui/link-config.ts checkBaseUrl).
  return url.toString().replace(/\/+$/, '');
}

/** The page of review `reviewId`, when a base is configured (argument, else REVIEW_UI_BASE_URL). */
export function reviewPageUrl(reviewId: string, base?: string): string | undefined {
  const root = reviewUiBase(base ?? process.env[UI_BASE_URL_VARIABLE]);
  return root === undefined ? undefined : `${root}/reviews/${encodeURIComponent(reviewId)}`;
}

/** The live DAG of review `reviewId` as SVG, served next to its page. */
export function reviewGraphUrl(reviewId: string, base?: string): string | undefined {
  const page = reviewPageUrl(reviewId, base);
  return page === undefined ? undefined : `${page}/graph.svg`;
}
