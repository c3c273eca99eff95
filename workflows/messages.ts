/** Names of the review workflow's signals, updates and queries: part of the public contract. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DecisionInput, GateStatus, RetryAccepted, RetryInput, ReviewStatus, StepProgress, WithdrawInput } from './types';

export interface PauseInput {
  by?: string;
  reason?: string;
}

/** Sent by a client just before it asks Temporal to cancel the review, so the review can say why. */
export const cancelReasonSignal = defineSignal<[PauseInput?]>('cancelReason');
export const pauseSignal = defineSignal<[PauseInput?]>('pause');
export const resumeSignal = defineSignal<[PauseInput?]>('resume');
export const approveSignal = defineSignal<[DecisionInput]>('approve');
export const rejectSignal = defineSignal<[DecisionInput]>('reject');
export const withdrawSignal = defineSignal<[WithdrawInput]>('withdraw');
export const stepProgressSignal = defineSignal<[StepProgress]>('stepProgress');

export const approveUpdate = defineUpdate<GateStatus, [DecisionInput]>('approveGate');
export const rejectUpdate = defineUpdate<GateStatus, [DecisionInput]>('rejectGate');
export const retryUpdate = defineUpdate<RetryAccepted, [RetryInput]>('retry');

export const statusQuery = defineQuery<ReviewStatus>('status');

export const REVIEW_WORKFLOW_TYPE = 'reviewWorkflow';
