import {
  REVIEW_TRANSITIONS,
  STEP_TRANSITIONS,
  reviewTransitionProblem,
  stepTransitionProblem,
} from '../../workflows/state-machine';
import type { ReviewState, StepState } from '../../workflows/types';

const reviewStates = Object.keys(REVIEW_TRANSITIONS) as ReviewState[];
const stepStates = Object.keys(STEP_TRANSITIONS) as StepState[];

describe('review state table', () => {
  it.each(reviewStates.flatMap((from) => reviewStates.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const allowed = from === to || REVIEW_TRANSITIONS[from].includes(to);
    expect(reviewTransitionProblem(from, to) === undefined).toBe(allowed);
  });

  it('has the documented shape', () => {
    expect(REVIEW_TRANSITIONS.pending).toContain('running');
    expect(REVIEW_TRANSITIONS.running).toEqual(expect.arrayContaining(['paused', 'awaiting_approval', 'completed', 'failed', 'cancelled']));
    expect(REVIEW_TRANSITIONS.paused).toEqual(expect.arrayContaining(['running', 'completed', 'rejected', 'failed', 'cancelled']));
    expect(REVIEW_TRANSITIONS.awaiting_approval).toEqual(expect.arrayContaining(['running', 'rejected']));
    expect(REVIEW_TRANSITIONS.failed).toEqual(expect.arrayContaining(['running', 'cancelled']));
    for (const terminal of ['completed', 'cancelled', 'rejected'] as const) expect(REVIEW_TRANSITIONS[terminal]).toEqual([]);
  });

  it('explains a change outside the table', () => {
    expect(reviewTransitionProblem('completed', 'running')).toBe(
      'review went from completed to running; from completed it may go to nothing (final state)',
    );
    expect(stepTransitionProblem('lint', 'pending', 'succeeded')).toMatch(
      /step lint went from pending to succeeded; from pending it may go to scheduled, awaiting_approval, skipped/,
    );
  });
});

describe('step state table', () => {
  it.each(stepStates.flatMap((from) => stepStates.map((to) => [from, to] as const)))('%s -> %s', (from, to) => {
    const allowed = from === to || STEP_TRANSITIONS[from].includes(to);
    expect(stepTransitionProblem('s', from, to) === undefined).toBe(allowed);
  });
});
