/**
 * The states people see, and which changes between them can happen. The review's state is derived from
 * its lifecycle (./lifecycle.ts), so these tables describe it rather than drive it: the workflow records
 * a change outside them as a notice instead of failing, and the tests check that none ever appears.
 */
import type { ReviewState, StepState } from './types';

const CLOSED: readonly ReviewState[] = ['completed', 'failed', 'cancelled', 'rejected'];

/** Every review state change the lifecycle can produce. */
export const REVIEW_TRANSITIONS: Readonly<Record<ReviewState, readonly ReviewState[]>> = {
  pending: ['running', 'paused', 'awaiting_approval', ...CLOSED],
  running: ['paused', 'awaiting_approval', ...CLOSED],
  paused: ['running', 'awaiting_approval', ...CLOSED],
  awaiting_approval: ['running', 'paused', ...CLOSED],
  failed: ['running', 'paused', 'awaiting_approval', 'cancelled'],
  completed: [],
  cancelled: [],
  rejected: [],
};

/** Every step state change. `→ pending` is a retry of the review. */
export const STEP_TRANSITIONS: Readonly<Record<StepState, readonly StepState[]>> = {
  pending: ['scheduled', 'awaiting_approval', 'skipped', 'cancelled'],
  scheduled: ['running', 'skipped', 'cancelled'],
  running: ['retrying', 'succeeded', 'failed', 'cancelled'],
  retrying: ['running', 'succeeded', 'failed', 'cancelled'],
  awaiting_approval: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['pending'],
  failed: ['pending'],
  skipped: ['pending'],
  cancelled: ['pending'],
};

export const FINISHED_STEP_STATES: readonly StepState[] = ['succeeded', 'failed', 'skipped', 'cancelled'];

export function isStepFinished(state: StepState): boolean {
  return FINISHED_STEP_STATES.includes(state);
}

/** Why a change is outside the table, or undefined when it is allowed. */
export function reviewTransitionProblem(from: ReviewState, to: ReviewState): string | undefined {
  return from === to || REVIEW_TRANSITIONS[from].includes(to) ? undefined : describe('review', from, to, REVIEW_TRANSITIONS[from]);
}

export function stepTransitionProblem(step: string, from: StepState, to: StepState): string | undefined {
  return from === to || STEP_TRANSITIONS[from].includes(to) ? undefined : describe(`step ${step}`, from, to, STEP_TRANSITIONS[from]);
}

function describe(subject: string, from: string, to: string, allowed: readonly string[]): string {
  return `${subject} went from ${from} to ${to}; from ${from} it may go to ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}`;
}
