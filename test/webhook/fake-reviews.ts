import { GateNotOpenError, NotAllowedError, ReviewAlreadyFinishedError, ReviewNotFoundError, type GateStatus, type ReviewStatus, type WithdrawInput } from '../../src/client';
import type { DecideOptions, ListOptions, PipelineSource, ReviewSummary, StartedReview, StartReviewOptions } from '../../src/client/types';
import { ReviewUnavailableError } from '../../src/client/review-client';
import type { WebhookReviewClient } from '../../src/webhook/server';

export interface FakeRun {
  runId: string;
  state: 'running' | 'completed' | 'cancelled' | 'failed';
  input: Record<string, unknown>;
  requestKeys: string[];
  cancelReason?: string;
}

export interface FakeReview {
  id: string;
  subject?: string;
  tenant?: string;
  runs: FakeRun[];
  /** Not yet listed by visibility (eventual consistency). */
  invisible?: boolean;
  requestTime?: string;
  /** Gate approvers; a decision by someone else is refused like the workflow refuses it. */
  approvers?: string[];
  gateOpen?: boolean;
  /** No worker answers its decisions (they time out unconfirmed). */
  noWorker?: boolean;
  /** What getStatus answers for the review's steps (default: one step running). */
  stepStates?: string[];
}

export type Call =
  | { kind: 'start'; id: string; input: Record<string, unknown>; options: StartReviewOptions; pipeline: PipelineSource }
  | { kind: 'cancel'; id: string; reason?: string }
  | { kind: 'list'; filter: ListOptions }
  | { kind: 'approve' | 'reject'; id: string; decision: DecideOptions }
  | { kind: 'withdraw'; id: string; input: WithdrawInput };

/**
 * A recording stand-in for the ReviewClient with the same start semantics (USE_EXISTING, REJECT_DUPLICATE,
 * restartIfCancelled with request keys) and typed errors; the dev-server tests check the real client.
 */
export class FakeReviews implements WebhookReviewClient {
  readonly reviews = new Map<string, FakeReview>();
  calls: Call[] = [];
  /** Set to make every call hang (as an unreachable Temporal does until its deadline). */
  unreachable = false;
  private counter = 0;

  reset(): void {
    this.reviews.clear();
    this.calls = [];
    this.unreachable = false;
  }

  /** A running review of an existing head, as if started earlier. */
  seed(id: string, fields: Partial<FakeReview> = {}, state: FakeRun['state'] = 'running'): FakeReview {
    const review: FakeReview = { id, runs: [{ runId: `run-${++this.counter}`, state, input: {}, requestKeys: [] }], ...fields };
    this.reviews.set(id, review);
    return review;
  }

  last(id: string): FakeRun | undefined {
    return this.reviews.get(id)?.runs.at(-1);
  }

  private async gate(): Promise<void> {
    if (this.unreachable) await new Promise(() => undefined);
  }

  async startReview(pipeline: PipelineSource, input: Record<string, unknown> = {}, options: StartReviewOptions = {}): Promise<StartedReview> {
    await this.gate();
    const id = options.id ?? `review-${++this.counter}`;
    this.calls.push({ kind: 'start', id, input, options, pipeline });
    const key = options.requestKey;
    const newRun = (earlier: string[]): FakeRun => ({ runId: `run-${++this.counter}`, state: 'running', input, requestKeys: key ? [...earlier, key] : earlier });
    const review = this.reviews.get(id);
    if (!review) {
      const run = newRun([]);
      this.reviews.set(id, {
        id,
        runs: [run],
        ...(options.subject ? { subject: options.subject } : {}),
        ...(options.tenant ? { tenant: options.tenant } : {}),
        ...(options.requestTime ? { requestTime: options.requestTime } : {}),
      });
      return { reviewId: id, runId: run.runId, existing: false };
    }
    const last = review.runs.at(-1) as FakeRun;
    const repeat = key !== undefined ? { repeat: last.requestKeys.at(-1) === key } : {};
    if (last.state === 'running') return { reviewId: id, runId: last.runId, existing: true, ...repeat };
    const restartable = last.state === 'cancelled' || (options.restartIfFailed === true && last.state === 'failed');
    if (options.restartIfCancelled && restartable && !(key !== undefined && last.requestKeys.includes(key))) {
      const run = newRun(last.requestKeys);
      review.runs.push(run);
      return { reviewId: id, runId: run.runId, existing: false };
    }
    return { reviewId: id, runId: last.runId, existing: true, closed: true, ...repeat };
  }

  async cancel(id: string, reason?: string): Promise<void> {
    await this.gate();
    this.calls.push({ kind: 'cancel', id, ...(reason !== undefined ? { reason } : {}) });
    const last = this.last(id);
    if (!last) throw new ReviewNotFoundError(id);
    if (last.state !== 'running') throw new ReviewAlreadyFinishedError(id, last.state);
    last.state = 'cancelled';
    if (reason !== undefined) last.cancelReason = reason;
  }

  async list(filter: ListOptions = {}): Promise<ReviewSummary[]> {
    await this.gate();
    this.calls.push({ kind: 'list', filter });
    return [...this.reviews.values()]
      .filter((r) => !r.invisible)
      .filter((r) => filter.subject === undefined || r.subject === filter.subject)
      .filter((r) => filter.tenant === undefined || r.tenant === filter.tenant)
      .filter((r) => filter.open === undefined || (r.runs.at(-1)?.state === 'running') === filter.open)
      .map((r) => ({
        reviewId: r.id,
        runId: r.runs.at(-1)?.runId ?? '',
        execution: 'RUNNING',
        startTime: new Date(0).toISOString(),
        taskQueue: 'q',
        ...(r.requestTime ? { requestTime: r.requestTime } : {}),
      }));
  }

  private async decide(kind: 'approve' | 'reject', id: string, decision: DecideOptions): Promise<GateStatus> {
    await this.gate();
    this.calls.push({ kind, id, decision });
    const review = this.reviews.get(id);
    const last = review?.runs.at(-1);
    if (!review || !last) throw new ReviewNotFoundError(id);
    if (last.state !== 'running') throw new ReviewAlreadyFinishedError(id);
    if (review.noWorker) throw new ReviewUnavailableError(id, 'q', 'decision');
    if (review.gateOpen === false) throw new GateNotOpenError(id, 'no approval gate is open');
    const approvers = review.approvers ?? ['role:maintainer'];
    const allowed = approvers.some((a) => a === decision.by || (a.startsWith('role:') && (decision.roles ?? []).includes(a.slice(5))));
    if (!allowed) throw new NotAllowedError(id, `${decision.by} may not decide gate approval (allowed: ${approvers.join(', ')})`);
    const entry = { by: decision.by, at: new Date(0).toISOString(), verdict: kind, ...(decision.comment ? { comment: decision.comment } : {}) };
    return {
      approvers,
      required: 1,
      approvals: kind === 'approve' ? [entry] : [],
      rejections: kind === 'reject' ? [entry] : [],
      outcome: kind === 'approve' ? 'approved' : 'rejected',
      remindersSent: 0,
      escalated: false,
    } as unknown as GateStatus;
  }

  approve(id: string, decision: DecideOptions): Promise<GateStatus> {
    return this.decide('approve', id, decision);
  }

  reject(id: string, decision: DecideOptions): Promise<GateStatus> {
    return this.decide('reject', id, decision);
  }

  async withdraw(id: string, input: WithdrawInput): Promise<void> {
    await this.gate();
    this.calls.push({ kind: 'withdraw', id, input });
    const last = this.last(id);
    if (!last) throw new ReviewNotFoundError(id);
    if (last.state !== 'running') throw new ReviewAlreadyFinishedError(id);
  }

  async getStatus(id: string): Promise<ReviewStatus> {
    await this.gate();
    const review = this.reviews.get(id);
    const last = review?.runs.at(-1);
    if (!review || !last) throw new ReviewNotFoundError(id);
    const steps = (review.stepStates ?? ['running']).map((state, i) => ({ id: `s${i}`, state }));
    return { reviewId: id, phase: last.state === 'running' ? 'running' : 'closed', steps } as unknown as ReviewStatus;
  }
}
