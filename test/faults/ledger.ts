/**
 * An idempotency ledger for side effects: one JSON line per applied effect, keyed by review and step,
 * with the attempt that applied it. A step that finds its key already recorded does not apply it again.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';

export interface LedgerEntry {
  reviewId: string;
  stepId: string;
  attempt: number;
  pid: number;
}

export function readLedger(path: string): LedgerEntry[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LedgerEntry);
}

export function hasEntry(path: string, reviewId: string, stepId: string): boolean {
  return readLedger(path).some((e) => e.reviewId === reviewId && e.stepId === stepId);
}

export function appendEntry(path: string, entry: LedgerEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
  const fd = openSync(path, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

/** Side effects applied more than once for the same review and step. */
export function duplicates(entries: LedgerEntry[]): string[] {
  const seen = new Map<string, number>();
  for (const e of entries) seen.set(`${e.reviewId}/${e.stepId}`, (seen.get(`${e.reviewId}/${e.stepId}`) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
}
