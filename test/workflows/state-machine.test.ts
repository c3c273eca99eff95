import {
  REVIEW_TRANSITIONS,
  STEP_TRANSITIONS,
  InvalidTransitionError,
  assertReviewTransition,
  assertStepTransition,
} from '../../workflows/state-machine';
import type { ReviewState, StepState } from '../../workflows/types';

const reviewStates = Object.keys(REVIEW_TRANSITIONS) as ReviewState[];
const stepStates = Object.keys(STEP_TRANSITIONS) as StepState[];

describe('review state machine', () => {
  it.each(reviewStates.flatMap((from) => reviewStates.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    if (REVIEW_TRANSITIONS[from].includes(to)) expect(() => assertReviewTransition(from, to)).not.toThrow();
    else expect(() => assertReviewTransition(from, to)).toThrow(InvalidTransitionError);
  });

  it('has the documented shape', () => {
    expect(REVIEW_TRANSITIONS.pending).toContain('running');
    expect(REVIEW_TRANSITIONS.running).toEqual(expect.arrayContaining(['paused', 'awaiting_approval', 'completed', 'failed', 'cancelled']));
    expect(REVIEW_TRANSITIONS.paused).toContain('running');
    expect(REVIEW_TRANSITIONS.awaiting_approval).toEqual(expect.arrayContaining(['running', 'rejected']));
    expect(REVIEW_TRANSITIONS.failed).toEqual(['running']);
    for (const terminal of ['completed', 'cancelled', 'rejected'] as const) expect(REVIEW_TRANSITIONS[terminal]).toEqual([]);
  });

  it('explains a refused transition', () => {
    expect(() => assertReviewTransition('completed', 'running')).toThrow(
      'review cannot go from completed to running; from completed it may go to nothing (final state)',
    );
    expect(() => assertStepTransition('lint', 'pending', 'succeeded')).toThrow(
      /step lint cannot go from pending to succeeded; from pending it may go to scheduled, skipped/,
    );
  });
});

describe('step state machine', () => {
  it.each(stepStates.flatMap((from) => stepStates.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    if (STEP_TRANSITIONS[from].includes(to)) expect(() => assertStepTransition('s', from, to)).not.toThrow();
    else expect(() => assertStepTransition('s', from, to)).toThrow(InvalidTransitionError);
  });
});
