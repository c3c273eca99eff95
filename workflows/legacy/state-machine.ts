// Frozen copy of the first workflow version; see review-v1.ts.
import type { ReviewState, StepState } from './types';

/** Every allowed review transition, in one place. */
export const REVIEW_TRANSITIONS: Readonly<Record<ReviewState, readonly ReviewState[]>> = {
  pending: ['running', 'cancelled', 'failed'],
  running: ['paused', 'awaiting_approval', 'completed', 'failed', 'cancelled', 'rejected'],
  paused: ['running', 'awaiting_approval', 'cancelled', 'failed'],
  awaiting_approval: ['running', 'paused', 'rejected', 'failed', 'cancelled', 'completed'],
  failed: ['running'],
  completed: [],
  cancelled: [],
  rejected: [],
};

/** Every allowed step transition, in one place. `failed|cancelled|skipped → pending` is a retry of the review. */
export const STEP_TRANSITIONS: Readonly<Record<StepState, readonly StepState[]>> = {
  pending: ['scheduled', 'skipped', 'cancelled', 'awaiting_approval'],
  scheduled: ['running', 'cancelled', 'skipped', 'pending'],
  running: ['retrying', 'succeeded', 'failed', 'cancelled'],
  retrying: ['running', 'succeeded', 'failed', 'cancelled'],
  awaiting_approval: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['pending'],
  failed: ['pending'],
  skipped: ['pending'],
  cancelled: ['pending'],
};

export const TERMINAL_REVIEW_STATES: readonly ReviewState[] = ['completed', 'cancelled', 'rejected'];
export const FINISHED_STEP_STATES: readonly StepState[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

export class InvalidTransitionError extends Error {
  constructor(
    readonly subject: string,
    readonly from: string,
    readonly to: string,
    allowed: readonly string[],
  ) {
    super(
      `${subject} cannot go from ${from} to ${to}; from ${from} it may go to ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}`,
    );
    this.name = 'InvalidTransitionError';
  }
}

export function canTransitionReview(from: ReviewState, to: ReviewState): boolean {
  return REVIEW_TRANSITIONS[from].includes(to);
}

export function assertReviewTransition(from: ReviewState, to: ReviewState): void {
  if (!canTransitionReview(from, to)) throw new InvalidTransitionError('review', from, to, REVIEW_TRANSITIONS[from]);
}

export function assertStepTransition(step: string, from: StepState, to: StepState): void {
  if (!STEP_TRANSITIONS[from].includes(to)) {
    throw new InvalidTransitionError(`step ${step}`, from, to, STEP_TRANSITIONS[from]);
  }
}

export function isStepFinished(state: StepState): boolean {
  return FINISHED_STEP_STATES.includes(state);
}
