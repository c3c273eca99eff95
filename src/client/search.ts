/** The review search attributes: typed keys, visibility queries, and reading them back. */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { Pipeline, Priority } from '../definition/schema';
import { REVIEW_WORKFLOW_TYPE } from '../../workflows/messages';
import type { ReviewState } from '../../workflows/types';
import type { ReviewFilter, ReviewSummary } from './types';

export const REVIEW_KEYS = {
  status: defineSearchAttributeKey('ReviewStatus', SearchAttributeType.KEYWORD),
  pipeline: defineSearchAttributeKey('ReviewPipeline', SearchAttributeType.KEYWORD),
  priority: defineSearchAttributeKey('ReviewPriority', SearchAttributeType.KEYWORD),
  subject: defineSearchAttributeKey('ReviewSubject', SearchAttributeType.KEYWORD),
  tenant: defineSearchAttributeKey('ReviewTenant', SearchAttributeType.KEYWORD),
} as const;

export interface InitialAttributes {
  pipeline: string;
  priority: Priority;
  subject?: string;
  tenant?: string;
  /** The state the review lists with until its workflow first says otherwise (default `pending`). */
  status?: ReviewState;
}

/**
 * The state a review shows once its first workflow task has dispatched its steps: `running` when a step
 * without `needs` is a task (it is in flight from then on, whatever its `if:` says), else unknown
 * (`pending`). Starting with it saves the review a search-attribute upsert, a visibility write, when
 * its first task agrees; when it does not, the review upserts its own state as it would anyway.
 */
export function firstListedState(pipeline: Pipeline): ReviewState {
  return pipeline.steps.some((s) => !s.gate && (s.needs ?? []).length === 0) ? 'running' : 'pending';
}

export function initialSearchAttributes(values: InitialAttributes): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: REVIEW_KEYS.status, value: values.status ?? 'pending' },
    { key: REVIEW_KEYS.pipeline, value: values.pipeline },
    { key: REVIEW_KEYS.priority, value: values.priority },
  ];
  if (values.subject) pairs.push({ key: REVIEW_KEYS.subject, value: values.subject.slice(0, 200) });
  if (values.tenant) pairs.push({ key: REVIEW_KEYS.tenant, value: values.tenant });
  return pairs;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A visibility query selecting reviews that match every given field. */
export function reviewQuery(filter: ReviewFilter = {}): string {
  const clauses = [`WorkflowType = ${quote(REVIEW_WORKFLOW_TYPE)}`];
  const fields: [Exclude<keyof ReviewFilter, 'open'>, string][] = [
    ['status', 'ReviewStatus'],
    ['pipeline', 'ReviewPipeline'],
    ['priority', 'ReviewPriority'],
    ['tenant', 'ReviewTenant'],
    ['subject', 'ReviewSubject'],
  ];
  for (const [field, attribute] of fields) {
    const value = filter[field];
    if (value !== undefined) clauses.push(`${attribute} = ${quote(value)}`);
  }
  if (filter.open !== undefined) clauses.push(filter.open ? `ExecutionStatus = 'Running'` : `ExecutionStatus != 'Running'`);
  return clauses.join(' AND ');
}

export type ExecutionInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'runId' | 'status' | 'startTime' | 'closeTime' | 'taskQueue' | 'typedSearchAttributes'>;

export function summaryOf(info: ExecutionInfo): ReviewSummary {
  const attrs = info.typedSearchAttributes;
  const summary: ReviewSummary = {
    reviewId: info.workflowId,
    runId: info.runId,
    execution: info.status.name,
    startTime: info.startTime.toISOString(),
    taskQueue: info.taskQueue,
  };
  const pipeline = attrs.get(REVIEW_KEYS.pipeline);
  const state = attrs.get(REVIEW_KEYS.status);
  const priority = attrs.get(REVIEW_KEYS.priority);
  const subject = attrs.get(REVIEW_KEYS.subject);
  const tenant = attrs.get(REVIEW_KEYS.tenant);
  if (pipeline !== undefined) summary.pipeline = pipeline;
  if (state !== undefined) summary.state = state as ReviewState;
  if (priority !== undefined) summary.priority = priority as Priority;
  if (subject !== undefined) summary.subject = subject;
  if (tenant !== undefined) summary.tenant = tenant;
  if (info.closeTime) summary.closeTime = info.closeTime.toISOString();
  return summary;
}
