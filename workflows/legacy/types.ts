/** The data shapes of the first workflow version, as its histories recorded them. */
import type { ReviewWorkflowInput as CurrentInput, Decision, ReviewState, StateChange, StepStatus } from '../types';

export type {
  Decision,
  DecisionInput,
  GateStatus,
  RetryAccepted,
  ReviewState,
  ReviewStatus,
  StateChange,
  StepState,
  StepStatus,
} from '../types';

export interface LegacyCarriedState {
  steps: StepStatus[];
  decisions: Decision[];
  transitions: StateChange[];
  startedAt: string;
  state: ReviewState;
  paused: boolean;
  reviewTimeoutRemainingMs?: number;
  continuedAsNew: number;
  undoOrder: string[];
}

export type ReviewWorkflowInput = Omit<CurrentInput, 'carried'> & { carried?: LegacyCarriedState };
