/** What a review is started with: its workflow input, task queue, summary, details and search attributes. */
import type { Priority as TemporalPriority, SearchAttributePair } from '@temporalio/common';
import type { ParamValues } from '../definition/templates';
import { PRIORITIES, type Pipeline, type Priority } from '../definition/schema';
import { PRIORITY_KEYS, workflowTaskQueue } from '../../workflows/step-options';
import { CURRENT_LIFECYCLE } from '../../workflows/patches';
import type { ReviewOptions, ReviewWorkflowInput, StepQueues } from '../../workflows/types';
import { tryParseDuration } from '../definition/duration';
import { InvalidRequestError } from './errors';
import { INSTALLATION_NAME, INSTALLATION_NAME_RULE } from './installation-name';
import { firstListedState, initialSearchAttributes } from './search';

export interface ReviewStartPlan {
  input: ReviewWorkflowInput;
  taskQueue: string;
  priority: Priority;
  /** The review's priority and tenant as Temporal's priority and fairness keys, for its workflow tasks. */
  temporalPriority: TemporalPriority;
  staticSummary: string;
  staticDetails: string;
  typedSearchAttributes: SearchAttributePair[];
}

export interface PlanInput {
  pipeline: Pipeline;
  params: ParamValues;
  input: Record<string, unknown>;
  priority?: Priority;
  tenant?: string;
  subject?: string;
  taskQueuePrefix?: string;
  /** Where the review's steps run (default `workflow`: on the review's own task queue). */
  stepQueues?: StepQueues;
  retryWindow?: string;
}

function detailsMarkdown(plan: PlanInput, priority: Priority): string {
  const { pipeline } = plan;
  const lines = [`**${pipeline.name}**${pipeline.version !== undefined ? ` v${pipeline.version}` : ''} review`, ''];
  if (pipeline.description) lines.push(pipeline.description.trim(), '');
  lines.push(`- priority: ${priority}`);
  if (plan.subject) lines.push(`- subject: ${plan.subject}`);
  if (plan.tenant) lines.push(`- tenant: ${plan.tenant}`);
  lines.push(`- steps: ${pipeline.steps.map((s) => `\`${s.id}\``).join(', ')}`);
  const params = Object.entries(plan.params);
  if (params.length > 0) lines.push(`- params: ${params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  return lines.join('\n');
}

/** Why the task queue prefix, `stepQueues` or `priority` (from a caller that skipped the types) cannot be used, or undefined. */
export function queueOptionProblem(options: { taskQueuePrefix?: string; stepQueues?: unknown; priority?: unknown }): string | undefined {
  if (options.taskQueuePrefix !== undefined && !INSTALLATION_NAME.test(options.taskQueuePrefix)) {
    return `the task queue prefix ${JSON.stringify(options.taskQueuePrefix)} is not valid: ${INSTALLATION_NAME_RULE}; use the workers' REVIEW_TASK_QUEUE_PREFIX`;
  }
  if (options.stepQueues !== undefined && options.stepQueues !== 'workflow' && options.stepQueues !== 'tiers') {
    return `stepQueues must be workflow (steps on the review's own task queue) or tiers (steps on <prefix>-<tier>), not ${JSON.stringify(options.stepQueues)}`;
  }
  if (options.priority !== undefined && !(PRIORITIES as readonly unknown[]).includes(options.priority)) {
    return `priority must be one of ${PRIORITIES.join(', ')}, not ${JSON.stringify(options.priority)}`;
  }
  return undefined;
}

export function planStart(plan: PlanInput): ReviewStartPlan {
  const problem = queueOptionProblem(plan);
  if (problem) throw new InvalidRequestError(problem);
  const priority = plan.priority ?? plan.pipeline.priority ?? 'normal';
  const options: ReviewOptions = { stepQueues: plan.stepQueues ?? 'workflow' };
  if (plan.taskQueuePrefix !== undefined) options.taskQueuePrefix = plan.taskQueuePrefix;
  if (plan.retryWindow !== undefined) {
    const ms = tryParseDuration(plan.retryWindow);
    if (ms === undefined || ms <= 0) {
      throw new InvalidRequestError(`the retry window ${JSON.stringify(plan.retryWindow)} is not a duration longer than 0: write it like 1h or 2d (how long a failed review waits for a retry)`);
    }
    options.retryWindow = plan.retryWindow;
  }
  const input: ReviewWorkflowInput = { definition: plan.pipeline, input: plan.input, params: plan.params, priority };
  if (plan.tenant !== undefined) input.tenant = plan.tenant;
  if (plan.subject !== undefined) input.subject = plan.subject;
  input.options = options;
  input.lifecycle = CURRENT_LIFECYCLE;
  const summaryParts = [plan.pipeline.name, plan.subject, priority].filter((part): part is string => Boolean(part));
  return {
    input,
    priority,
    taskQueue: workflowTaskQueue(options),
    temporalPriority: { priorityKey: PRIORITY_KEYS[priority], ...(plan.tenant !== undefined ? { fairnessKey: plan.tenant } : {}) },
    staticSummary: summaryParts.join(' · '),
    staticDetails: detailsMarkdown(plan, priority),
    typedSearchAttributes: initialSearchAttributes({
      pipeline: plan.pipeline.name,
      priority,
      status: firstListedState(plan.pipeline),
      ...(plan.subject !== undefined ? { subject: plan.subject } : {}),
      ...(plan.tenant !== undefined ? { tenant: plan.tenant } : {}),
    }),
  };
}
