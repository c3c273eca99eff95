/**
 * Workspace affinity: a step with `workspace: <checkout step>` runs on the task queue of the worker
 * that holds that checkout (the queue the checkout returned), with a short ScheduleToStart timeout.
 * When that worker is gone the timeout fires; the checkout then runs again on the shared queues,
 * its output (path, queue) is replaced, and the step is retried on the new worker — at most
 * MAX_CHECKOUTS_AGAIN times per checkout, after which the step fails saying why. When the review
 * closes, every workspace it made is removed by an activity on its worker's queue, best effort.
 *
 * Nothing here changes what a review without workspaces does: the patch below is only consulted
 * when a workspace step runs or a checkout left a workspace behind.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  log,
  patched,
  proxyActivities,
  TimeoutFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { RemoveWorkspaceRequest, RemoveWorkspaceResponse, StepResponse } from '../activities/types';
import { tryParseDuration } from '../src/definition/duration';
import type { Step } from '../src/definition/schema';
import { clipText, compactOutput } from './outputs';
import { WORKSPACE_AFFINITY_PATCH } from './patches';
import type { ReviewRun } from './review-run';
import { callStep, errorMessage } from './step-runner';

export const DEFAULT_WORKSPACE_START = '1m';
export const MAX_CHECKOUTS_AGAIN = 3;
/** A live worker picks the removal up at once; one that is gone must not hold the review's close for long. */
const REMOVE_START_MS = 10_000;
const REMOVE_TIMEOUT_MS = 60_000;

interface Cleanup {
  removeWorkspace(request: RemoveWorkspaceRequest): Promise<RemoveWorkspaceResponse>;
}

/** Where a checkout's workspace lives: the worker's own queue and the review's directory there. */
export interface Place {
  queue: string;
  workspace: string;
}

/** The place recorded in a checkout's output, if it has one. */
export function placeOf(output: unknown): Place | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const { queue, workspace } = output as Record<string, unknown>;
  return typeof queue === 'string' && queue !== '' && typeof workspace === 'string' ? { queue, workspace } : undefined;
}

export function isScheduleToStartTimeout(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && err.cause.timeoutType === 'SCHEDULE_TO_START';
}

export class Workspaces {
  private affinity: boolean | undefined;
  /** Times each checkout ran again in this run. */
  private readonly moves = new Map<string, number>();
  /** A checkout running again, awaited by every step of its workspace that found the old worker gone. */
  private readonly moving = new Map<string, Promise<string | undefined>>();
  /** Workspaces left behind by a checkout that ran again elsewhere (removed at close too). */
  private readonly superseded: Place[] = [];

  constructor(private readonly run: ReviewRun) {}

  /** Whether this review routes workspace steps (always, except when replaying a history from before). */
  private enabled(): boolean {
    this.affinity ??= patched(WORKSPACE_AFFINITY_PATCH);
    return this.affinity;
  }

  private startTimeout(step: Step, own: Step['timeout']): { ms: number; text: string } {
    const text = own?.scheduleToStart ?? step.timeout?.scheduleToStart ?? this.run.pipeline.defaults?.timeout?.scheduleToStart ?? DEFAULT_WORKSPACE_START;
    const ms = tryParseDuration(text);
    return ms === undefined ? { ms: 60_000, text: DEFAULT_WORKSPACE_START } : { ms, text };
  }

  /**
   * Runs `attempt` for a step of a workspace on the queue of the worker holding it; if that worker
   * does not pick it up in time, checks out again and retries there. Steps without a workspace (or
   * whose checkout returned no queue) run with `base` as they are.
   */
  async call(step: Step, own: Step['timeout'], base: ActivityOptions, attempt: (options: ActivityOptions) => Promise<StepResponse>): Promise<StepResponse> {
    const checkoutId = step.workspace;
    if (!checkoutId || !this.enabled()) return attempt(base);
    const start = this.startTimeout(step, own);
    for (;;) {
      const place = placeOf(this.run.book.status(checkoutId)?.output);
      if (!place) {
        log.warn('workspace step runs on the shared queues: its checkout returned no queue', { step: step.id, checkout: checkoutId });
        return attempt(base);
      }
      try {
        return await attempt({ ...base, taskQueue: place.queue, scheduleToStartTimeout: start.ms });
      } catch (err) {
        if (!isScheduleToStartTimeout(err)) throw err;
        const problem = await this.checkOutAgain(checkoutId, place, step.id, start.text);
        if (problem) throw ApplicationFailure.nonRetryable(problem, 'WorkspaceLost');
      }
    }
  }

  /** Moves the workspace of `checkoutId` away from `stale`; returns why it could not, if it could not. */
  private checkOutAgain(checkoutId: string, stale: Place, forStep: string, waited: string): Promise<string | undefined> {
    const current = placeOf(this.run.book.status(checkoutId)?.output);
    if (current && current.queue !== stale.queue) return Promise.resolve(undefined);
    const inflight = this.moving.get(checkoutId);
    if (inflight) return inflight;
    const count = this.moves.get(checkoutId) ?? 0;
    const checkout = this.run.book.step(checkoutId);
    if (count >= MAX_CHECKOUTS_AGAIN) {
      return Promise.resolve(
        `the worker holding the workspace of ${checkoutId} (${stale.queue}) did not start step ${forStep} within ${waited}, and ${checkoutId} was already checked out again ${count} times; giving up`,
      );
    }
    if (!checkout?.uses) return Promise.resolve(`the worker holding the workspace of ${checkoutId} is gone and ${checkoutId} cannot run again`);
    this.moves.set(checkoutId, count + 1);
    const moving = this.move(checkout, stale, forStep, waited).finally(() => this.moving.delete(checkoutId));
    this.moving.set(checkoutId, moving);
    return moving;
  }

  private async move(checkout: Step, stale: Place, forStep: string, waited: string): Promise<string | undefined> {
    log.warn('workspace lost: checking out again', { checkout: checkout.id, queue: stale.queue, step: forStep });
    let response: StepResponse;
    try {
      response = await callStep(this.run, checkout, 'step', checkout, `${checkout.name ?? checkout.id} · ${checkout.uses} again (${stale.queue} is gone)`);
    } catch (err) {
      if (isCancellation(err)) throw err;
      return `the worker holding the workspace of ${checkout.id} (${stale.queue}) is gone, and checking out again failed: ${clipText(errorMessage(err), 500)}`;
    }
    this.superseded.push(stale);
    this.run.book.replaceOutput(checkout.id, compactOutput(response.output, this.run.outputBudget));
    const now = placeOf(response.output);
    this.run.notice(
      `${checkout.id} checked out again${now ? ` on ${now.queue}` : ''}: the worker holding its workspace (${stale.queue}) did not start step ${forStep} within ${waited}`,
    );
    return undefined;
  }

  /** The workspaces this review made, each once: the current one of every checkout and those it left behind. */
  private places(): Place[] {
    const seen = new Map<string, Place>();
    const add = (place: Place | undefined) => {
      if (place) seen.set(`${place.queue}\n${place.workspace}`, place);
    };
    for (const step of this.run.book.steps) if (step.uses === 'checkout') add(placeOf(this.run.book.status(step.id)?.output));
    this.superseded.forEach(add);
    return [...seen.values()];
  }

  /** Whether the review made any workspace (checked first, so a review without one does no more work at its close). */
  used(): boolean {
    return this.places().length > 0;
  }

  /** Removes every workspace of the review on the worker holding it; never fails, a worker that is gone is skipped. */
  async removeAll(): Promise<void> {
    const places = this.places();
    if (places.length === 0 || !this.enabled()) return;
    const results = await Promise.all(
      places.map(async (place) => {
        const cleanup = proxyActivities<Cleanup>({
          taskQueue: place.queue,
          scheduleToStartTimeout: REMOVE_START_MS,
          startToCloseTimeout: REMOVE_TIMEOUT_MS,
          retry: { maximumAttempts: 1 },
          summary: `remove workspace on ${place.queue}`,
        });
        try {
          const result = await cleanup.removeWorkspace({ reviewId: this.run.reviewId, workspace: place.workspace });
          return result.removed ? undefined : `${place.workspace}: ${result.reason ?? 'not removed'}`;
        } catch (err) {
          return `${place.queue}: ${errorMessage(err)}`;
        }
      }),
    );
    const failed = results.filter((r): r is string => r !== undefined);
    if (failed.length > 0) log.info('workspaces not removed (their worker removes them when it starts again)', { failed });
  }
}
