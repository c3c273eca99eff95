/**
 * Patch ids: each guards a change to the commands a review issues, so histories written before it
 * replay as they were written (README, "Upgrading workers"). Add one per such change; never reuse one.
 */

/**
 * Marks histories written by the lifecycle model. Reviews started before it replay and finish on the
 * first version (./legacy); a review the first version continued as new starts its next run on the model.
 */
export const LIFECYCLE_PATCH = 'review-lifecycle-2';

/**
 * A decision that settles a gate ends the gate's step (and the review, when it rejects) in the message
 * handler itself, so nothing handled later in the same workflow task overtakes an acknowledged outcome.
 * Before it, the gate's own loop did so after waking, which cancels its deadline timer first.
 */
export const DECISION_SETTLES_GATE_PATCH = 'decision-settles-gate';

/**
 * Steps with `workspace:` run on the task queue of the worker holding their checkout (checked out again
 * elsewhere when that worker is gone), and the review removes its workspaces when it closes. Consulted
 * only by reviews that use a workspace, so other histories carry no marker.
 */
export const WORKSPACE_AFFINITY_PATCH = 'workspace-affinity';
