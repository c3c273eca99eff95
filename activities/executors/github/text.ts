/** Cutting text to GitHub's limits without splitting a character (a surrogate pair). */

/** The number of code points in `text` (what GitHub counts as characters). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The first `max` code points of `text`. */
export function takeCodePoints(text: string, max: number): string {
  if (max <= 0) return '';
  let count = 0;
  let end = 0;
  for (const char of text) {
    if (count === max) return text.slice(0, end);
    count += 1;
    end += char.length;
  }
  return text;
}

/** `text` cut to at most `max` code points, ending in "…" when cut. */
export function cutCodePoints(text: string, max: number): string {
  if (codePointLength(text) <= max) return text;
  return `${takeCodePoints(text, max - 1)}…`;
}

/**
 * Markdown cut to at most `max` characters (UTF-16 units, which are never fewer than code points),
 * with a closing note saying how much was left out.
 */
export function cutMarkdown(text: string, max: number, what: string): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const note = `\n\n… (${what} cut to fit GitHub's limit of ${max} characters; ${text.length} characters in full)`;
  let head = text.slice(0, Math.max(0, max - note.length));
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return { text: head + note, cut: true };
}
