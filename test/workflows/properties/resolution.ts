/**
 * Bringing a review to an end after its script: resume it if paused, approve its open gates, retry it
 * once if it failed and waits for a retry, let days of server time pass, and cancel it as a last resort. Along the way, two checks that need polling:
 * the last pause or resume holds, and a paused review with nothing left to do closes by itself.
 */
import { APPROVERS } from './model';
import { InconclusiveRun } from './chain';
import { queryStatus, type Messenger } from './messenger';
import type { DriverFinding, ObservedStatus } from './observation';
import { StuckReview } from './stuck';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Server time let pass in each round of bringing a review to an end. */
const RESOLVE_ROUNDS = [1_000, HOUR, DAY, 3 * DAY, 10 * DAY];
const SETTLE_WALL_MS = 5_000;
const ACTIVE = ['pending', 'running', 'awaiting_approval', 'paused'];
const FINISHED_STEP = ['succeeded', 'failed', 'skipped', 'cancelled'];

export type ServerSleep = (ms: number) => Promise<void>;

export function isPaused(status: ObservedStatus): boolean {
  return status.paused ?? status.state === 'paused';
}

export async function wallSleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Polls the status until `ok` holds or the wall-clock budget runs out; returns the last status seen. */
async function pollStatus(m: Messenger, ok: (s: ObservedStatus) => boolean, wallMs: number): Promise<ObservedStatus | undefined> {
  const deadline = Date.now() + wallMs;
  let last: ObservedStatus | undefined;
  for (;;) {
    last = await queryStatus(m.handle).catch(() => last);
    if ((last && ok(last)) || Date.now() > deadline || (await m.closed())) return last;
    await wallSleep(100);
  }
}

/**
 * After the script, the last pause or resume that reached an active review decides whether it is paused.
 * A retry or cancel after it may change that, so the check is skipped then.
 */
async function checkPauseState(m: Messenger, findings: DriverFinding[]): Promise<number> {
  const records = m.records;
  const lastToggle = [...records].reverse().find((r) => (r.message.kind === 'pause' || r.message.kind === 'resume') && r.answer === 'sent');
  if (!lastToggle || !lastToggle.pre || !ACTIVE.includes(lastToggle.pre.state)) return 0;
  if (records.slice(lastToggle.index + 1).some((r) => r.message.kind === 'retry' || r.message.kind === 'cancel')) return 0;
  const wantPaused = lastToggle.message.kind === 'pause';
  const status = await pollStatus(m, (s) => !ACTIVE.includes(s.state) || isPaused(s) === wantPaused, SETTLE_WALL_MS);
  if (!status || !ACTIVE.includes(status.state) || (await m.closed())) return 0;
  if (isPaused(status) !== wantPaused) {
    findings.push({
      invariant: 'pause-resume-idempotent',
      detail: `after the last ${lastToggle.message.kind} (message #${lastToggle.index}) the review is ${isPaused(status) ? '' : 'not '}paused (state ${status.state})`,
    });
  }
  return 1;
}

/** A paused review whose steps have all finished has nothing left to do and must close by itself. */
async function checkNothingLeftWhilePaused(m: Messenger, status: ObservedStatus, findings: DriverFinding[]): Promise<number> {
  if (!isPaused(status) || status.state === 'failed') return 0;
  if (!status.steps.every((s) => FINISHED_STEP.includes(s.state))) return 0;
  const deadline = Date.now() + SETTLE_WALL_MS;
  while (Date.now() < deadline) {
    if (await m.closed()) return 1;
    await wallSleep(200);
  }
  findings.push({
    invariant: 'completes-while-paused',
    detail: `paused with every step finished (${status.steps.map((s) => `${s.id}:${s.state}`).join(' ')}) and still open (state ${status.state})`,
  });
  return 1;
}

async function approveOpenGates(m: Messenger, status: ObservedStatus): Promise<void> {
  for (const step of status.steps) {
    if (step.state !== 'awaiting_approval') continue;
    const already = new Set((step.gate?.approvals ?? []).map((d) => d.by));
    for (const by of APPROVERS) {
      if (already.has(by)) continue;
      const record = await m.send({ kind: 'decide', verdict: 'approve', via: 'update', by, step: step.id }, 'resolve');
      if (record.answer !== 'ack' || record.gate?.outcome !== undefined) break;
    }
  }
}

/** Returns the number of checks made on the way. */
export async function resolveReview(m: Messenger, sleep: ServerSleep, findings: DriverFinding[], trace: (line: string) => void): Promise<number> {
  let checks = await checkPauseState(m, findings);
  trace('resolve: pause state checked');
  let retried = m.records.some((r) => r.message.kind === 'retry' && r.answer === 'ack');
  for (const gap of RESOLVE_ROUNDS) {
    if (await m.closed()) return checks;
    const status = await m.guard(queryStatus(m.handle), 'status query').catch((err: unknown) => {
      if (err instanceof StuckReview || err instanceof InconclusiveRun) throw err;
      return undefined;
    });
    if (status) {
      if (isPaused(status)) {
        checks += await checkNothingLeftWhilePaused(m, status, findings);
        if (await m.closed()) return checks;
        await m.send({ kind: 'resume' }, 'resolve');
      }
      await approveOpenGates(m, status);
      // One retry of a failed review waiting for it, the flaky steps repaired first: the path to a late completion.
      if (!retried && status.state === 'failed' && (status.phase === undefined || status.phase === 'retry_window')) {
        retried = true;
        await m.send({ kind: 'repair' }, 'resolve');
        await m.send({ kind: 'retry' }, 'resolve');
      }
    }
    trace(`resolve: ${status?.state ?? 'no status'}/${status?.phase ?? '-'}, sleep ${gap}`);
    await sleep(gap);
  }
  trace('resolve: cancel');
  if (!(await m.closed())) await m.send({ kind: 'cancel' }, 'resolve');
  return checks;
}
