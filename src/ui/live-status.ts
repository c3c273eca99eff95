/**
 * Live states of the reviews someone is watching: one poller per review however many pages watch it,
 * running the `status` query every `intervalMs` (default 500 ms, so a page is at most about that far
 * behind) and telling watchers only when what the page shows changed. It stops when the last watcher
 * leaves, or when the review is gone (never existed, or was deleted), telling its watchers so.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';
import { ReviewError, ReviewNotFoundError } from '../client/errors';
import { ReviewUnavailableError, type ReviewClient } from '../client/review-client';
import { statusQuery } from '../../workflows/messages';
import type { ReviewStatus } from '../../workflows/types';
import { liveReview, type LiveReview } from './step-view';

export type LiveListener = (update: LiveReview, json: string) => void;
export type GoneListener = (message: string) => void;

interface Watcher {
  update: LiveListener;
  gone?: GoneListener;
}

interface Poller {
  listeners: Set<Watcher>;
  last?: { update: LiveReview; json: string };
  closed: boolean;
  timer?: NodeJS.Timeout;
}

const CLOSED_STATES = new Set(['completed', 'failed', 'cancelled', 'rejected']);

export class LiveReviews {
  private readonly pollers = new Map<string, Poller>();
  private readonly reading = new Set<Promise<void>>();

  constructor(
    private readonly reviews: ReviewClient,
    private readonly intervalMs = 500,
    private readonly queryTimeoutMs = 5000,
  ) {}

  /**
   * The review's status: the `status` query while it runs (cheap: the worker has it cached), the client's
   * reading of its result once it has closed (a query would make a worker replay the whole history).
   */
  async read(reviewId: string): Promise<ReviewStatus> {
    const handle = this.reviews.temporal.workflow.getHandle(reviewId);
    let description: WorkflowExecutionDescription;
    try {
      description = await this.reviews.withDeadline(this.queryTimeoutMs, () => handle.describe());
    } catch (error) {
      // Not found, or Temporal did not answer in time: said at once, not after the client's own longer waits.
      if (error instanceof WorkflowNotFoundError) throw new ReviewNotFoundError(reviewId);
      throw error;
    }
    if (description.status.name === 'RUNNING') {
      try {
        return await this.reviews.withDeadline(this.queryTimeoutMs, () => handle.query(statusQuery));
      } catch (error) {
        if (isGrpcDeadlineError(error)) throw new ReviewUnavailableError(reviewId, description.taskQueue);
        // closed meanwhile, or encrypted: the client's reading says which
      }
    }
    return this.reviews.getStatus(reviewId);
  }

  /**
   * Calls `listener` with the current state at once (when known) and after each change, and `gone` once if
   * the review turns out not to exist (no more calls follow); returns the unsubscribe.
   */
  watch(reviewId: string, listener: LiveListener, gone?: GoneListener): () => void {
    let poller = this.pollers.get(reviewId);
    if (!poller) {
      poller = { listeners: new Set(), closed: false };
      this.pollers.set(reviewId, poller);
      this.schedule(reviewId, poller, 0);
    } else if (poller.last) {
      listener(poller.last.update, poller.last.json);
    }
    const watcher: Watcher = { update: listener, ...(gone ? { gone } : {}) };
    poller.listeners.add(watcher);
    const watched = poller;
    return () => {
      watched.listeners.delete(watcher);
      if (watched.listeners.size === 0) this.stop(reviewId, watched);
    };
  }

  private stop(reviewId: string, poller: Poller): void {
    if (poller.timer) clearTimeout(poller.timer);
    poller.closed = true;
    if (this.pollers.get(reviewId) === poller) this.pollers.delete(reviewId);
  }

  private async tick(reviewId: string, poller: Poller): Promise<void> {
    if (poller.closed) return;
    const began = Date.now();
    let finished = false;
    try {
      const update = liveReview(await this.read(reviewId));
      const json = JSON.stringify(update);
      if (json !== poller.last?.json) {
        poller.last = { update, json };
        for (const watcher of poller.listeners) watcher.update(update, json);
      }
      finished = CLOSED_STATES.has(update.state) && !update.steps.some((s) => ['running', 'scheduled', 'retrying'].includes(s.state));
    } catch (error) {
      if (error instanceof ReviewError && error.code === 'not_found' && !poller.closed) {
        this.stop(reviewId, poller);
        for (const watcher of [...poller.listeners]) watcher.gone?.(error.message);
        return;
      }
      // try again on the next tick
    }
    if (poller.closed) return;
    // A closed review changes no more: keep the last state for late watchers, poll slowly in case it is retried.
    // Ticks start every `intervalMs` (not that long after the last read ended), so a slow read of a big review
    // does not add to the delay; a read longer than the interval is followed at once by the next.
    const wait = finished ? this.intervalMs * 10 : Math.max(0, this.intervalMs - (Date.now() - began));
    this.schedule(reviewId, poller, wait);
  }

  private schedule(reviewId: string, poller: Poller, wait: number): void {
    poller.timer = setTimeout(() => {
      const tick = this.tick(reviewId, poller).finally(() => this.reading.delete(tick));
      this.reading.add(tick);
    }, wait);
  }

  /** Stops every poller and resolves once no read is in flight, so the client's connection can be closed after it. */
  async close(): Promise<void> {
    for (const [id, poller] of [...this.pollers]) this.stop(id, poller);
    await Promise.allSettled([...this.reading]);
  }
}
