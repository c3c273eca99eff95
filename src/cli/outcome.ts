import type { ReviewState } from '../../workflows/types';

export function isTerminalOutcome(state: ReviewState): boolean {
  return state === 'completed' || state === 'failed' || state === 'rejected' || state === 'cancelled';
}
