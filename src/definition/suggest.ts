/** "Did you mean" suggestions for misspelt names. */

/** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const up = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The candidate closest to `name`, if any is close enough to be a plausible typo. */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
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
