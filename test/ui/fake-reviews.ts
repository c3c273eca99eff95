/**
 * A ReviewClient that talks to no Temporal, for the page's own answers: the reviews in `existing` are running
 * (delete one to make it gone), any other id is not found, and every call is recorded (`describe <id>` begins each read of a review).
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ReviewNotFoundError } from '../../src/client/errors';
import type { ReviewClient } from '../../src/client/review-client';
import type { ReviewStatus } from '../../workflows/types';

export interface FakeReviews {
  reviews: ReviewClient;
  existing: Set<string>;
  calls: string[];
}

const running = (reviewId: string): ReviewStatus => ({
  reviewId,
  pipeline: 'fake',
  priority: 'normal',
  state: 'running',
  progress: { done: 0, total: 1, percent: 0 },
  startedAt: '2024-01-01T00:00:00.000Z',
  steps: [],
  decisions: [],
  transitions: [],
  continuedAsNew: 0,
});

export function fakeReviews(...ids: string[]): FakeReviews {
  const existing = new Set(ids);
  const calls: string[] = [];
  const found = (reviewId: string): void => {
    if (!existing.has(reviewId)) throw new WorkflowNotFoundError(`workflow ${reviewId} not found`, reviewId, undefined);
  };
  const fake = {
    namespace: 'default',
    temporal: {
      workflow: {
        getHandle: (reviewId: string) => {
          calls.push(`getHandle ${reviewId}`);
          return {
            describe: async () => {
              calls.push(`describe ${reviewId}`);
              found(reviewId);
              return { status: { name: 'RUNNING' }, taskQueue: 'review' };
            },
            query: async () => {
              calls.push(`query ${reviewId}`);
              found(reviewId);
              return running(reviewId);
            },
          };
        },
      },
    },
    withDeadline: <T>(_ms: number, fn: () => Promise<T>) => fn(),
    getStatus: async (reviewId: string) => {
      calls.push(`getStatus ${reviewId}`);
      if (!existing.has(reviewId)) throw new ReviewNotFoundError(reviewId);
      return running(reviewId);
    },
    list: async () => {
      calls.push('list');
      return [];
    },
  };
  return { reviews: fake as unknown as ReviewClient, existing, calls };
}

/** A logger whose lines are kept, parsed, in `lines`. */
export function memoryPino(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}
