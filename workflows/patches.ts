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
 * Marks histories written by the third version of the lifecycle, checked first at the entry so a new
 * review carries this marker alone. Its dispatch loop is woken by the change itself rather than by a
 * `condition`: the SDK runs conditions in a call of their own into the workflow sandbox, which starts a
 * timeout watchdog thread each time, so a woken loop saves one such call per workflow task. The loop
 * then runs as soon as the change is made, which can order commands differently within a task. A
 * decision that settles a gate always ends the gate's step in its handler (DECISION_SETTLES_GATE_PATCH
 * without a marker of its own), and the review's own search attributes go out with its first status in
 * one upsert, only those its start did not already set.
 */
export const PROMPT_DISPATCH_PATCH = 'review-lifecycle-3';

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

/**
 * Of the tasks ready at the same time, a review starts those of the highest priority first (before: in
 * the order they became ready). It matters under `maxParallel`, and for the worker's eager slots, which
 * take a review's steps in the order it scheduled them. Consulted only where the two orders differ, so
 * other histories carry no marker.
 */
export const STEP_PRIORITY_ORDER_PATCH = 'step-priority-order';

/**
 * Marks histories written by the fourth version of the lifecycle, checked first at the entry. Steps are
 * dispatched at the end of the callback that changed something (a step's end) instead of by a loop that
 * awaits each change, and a review's first steps run outside the non-cancellable scope its later phases
 * run in (a cancel request still reaches them only through the review's own cancel). Dispatching sooner
 * can order commands differently within a workflow task.
 */
export const TURN_DISPATCH_PATCH = 'review-lifecycle-4';

/**
 * The lifecycle version this code runs new reviews on, announced in the input by the clients of this
 * release (ReviewWorkflowInput.lifecycle) so that a review needs no marker to say so (./code-version.ts).
 */
export const CURRENT_LIFECYCLE = TURN_DISPATCH_PATCH;
