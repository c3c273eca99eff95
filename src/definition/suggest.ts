/** "Did you mean" suggestions for misspelt names. */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate closest to `name`, if any is close enough to be a plausible typo. */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    const distance =
      candidateLower === lower ? 0 : candidateLower.startsWith(lower) || lower.startsWith(candidateLower) ? 1 : editDistance(lower, candidateLower);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean 'x'?` or a list of what is allowed. */
export function didYouMean(name: string, candidates: readonly string[], what = 'one of'): string {
  const match = closestMatch(name, candidates);
  if (match !== undefined) return `did you mean '${match}'?`;
  if (candidates.length === 0) return 'none are defined';
  const shown = candidates.slice(0, 12).map((c) => `'${c}'`).join(', ');
  return `use ${what} ${shown}${candidates.length > 12 ? ', …' : ''}`;
}
