/**
 * Which version of the lifecycle a run follows. Each version's worker records a patch marker in a
 * review's first workflow task, and the SDK core adds an upsert of TemporalChangeVersion with it: two
 * events and a visibility write per review. A review whose input announces this code's version
 * (CURRENT_LIFECYCLE, set by this release's clients) needs neither: when this worker runs its first
 * workflow task, nothing is recorded; when it replays one, a marker in the history means a worker of
 * that older version ran the first task (a rolling deploy, a client upgraded first) and the review
 * keeps to that version; no marker means this version. The first version records no marker, so a
 * review a client of this release starts must not be taken by a worker of the first version
 * (README, "Upgrading workers"). A later version must keep running reviews announced with this one on
 * this one when their history holds no marker.
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { CURRENT_LIFECYCLE, LIFECYCLE_PATCH, PROMPT_DISPATCH_PATCH, TURN_DISPATCH_PATCH } from './patches';
import type { ReviewWorkflowInput } from './types';

export interface CodeVersion {
  /** review-lifecycle-4: steps dispatched at the end of the callback that changed something. */
  turnDispatch: boolean;
  /** review-lifecycle-3 and later: a dispatch loop woken by the change itself. */
  promptDispatch: boolean;
  /** The first version (./legacy): a review started before the lifecycle model. */
  firstVersion: boolean;
}

export function codeVersionOf(input: Pick<ReviewWorkflowInput, 'lifecycle'> | undefined): CodeVersion {
  const announced = input?.lifecycle === CURRENT_LIFECYCLE;
  if (announced && !workflowInfo().unsafe.isReplaying) return { turnDispatch: true, promptDispatch: true, firstVersion: false };
  // Replaying, patched(id) is whether the history holds id's marker, and records nothing new.
  const turnDispatch = patched(TURN_DISPATCH_PATCH) || (announced && !patched(PROMPT_DISPATCH_PATCH) && !patched(LIFECYCLE_PATCH));
  const promptDispatch = turnDispatch || patched(PROMPT_DISPATCH_PATCH);
  return { turnDispatch, promptDispatch, firstVersion: !promptDispatch && !patched(LIFECYCLE_PATCH) };
}
