import { NativeConnection } from '@temporalio/worker';
import {
  connectReviewClient,
  GateNotOpenError,
  InvalidPipelineError,
  InvalidRequestError,
  NotAllowedError,
  ReviewAlreadyFinishedError,
  ReviewConflictError,
  ReviewNotFoundError,
  type ReviewClient,
  type ReviewStatus,
} from '../../src/client';
import type { PipelineInput } from '../../src/definition/schema';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(180_000);

const prefix = uniqueTaskQueue('client');
const name = `client-${Date.now().toString(36)}`;
const gated: PipelineInput = {
  name,
  params: { who: { type: 'string', default: 'world' }, n: { type: 'number' } },
  steps: [
    { id: 'check', uses: 'echo', with: { delayMs: 20 } },
    { id: 'approval', needs: ['check'], gate: { approvers: ['alice', 'role:maintainer'] } },
    { id: 'publish', needs: ['approval'], uses: 'echo' },
  ],
};
const slow: PipelineInput = { name: `${name}-slow`, steps: [{ id: 'a', uses: 'echo', with: { delayMs: 1500 } }, { id: 'b', needs: ['a'], uses: 'echo' }] };
const failing: PipelineInput = { name: `${name}-fail`, steps: [{ id: 'boom', uses: 'flaky' }, { id: 'after', needs: ['boom'], uses: 'echo' }] };

let client: ReviewClient;
let connection: NativeConnection;
const recorder = recordingActivities();
let counter = 0;
const nextId = (): string => `${prefix}-r${++counter}`;

async function untilState(id: string, state: ReviewStatus['state']): Promise<ReviewStatus> {
  return waitFor(async () => {
    const status = await client.getStatus(id);
    return status.state === state ? status : undefined;
  }, 60_000);
}

beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress(), namespace: 'default', taskQueuePrefix: prefix });
  connection = await NativeConnection.connect({ address: devServerAddress() });
});

afterAll(async () => {
  await client.close();
  await connection.close();
});

const withWorkers = <T>(fn: () => Promise<T>): Promise<T> => withReviewWorkers(connection, prefix, recorder.activities, fn);

describe('ReviewClient', () => {
  test('refuses an invalid pipeline or params before starting, listing every issue', async () => {
    const bad = { name, steps: [{ id: 'a', uses: 'echo', needs: ['b'] }, { id: 'b', uses: 'echo', needs: ['a'] }, { id: 'c', uses: 'echo', needs: ['nope'] }] };
    const error = await client.startReview(bad, {}, { id: nextId() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPipelineError);
    const issues = (error as InvalidPipelineError).issues.map((i) => i.message).join('\n');
    expect(issues).toMatch(/a -> b -> a|b -> a -> b/);
    expect(issues).toMatch(/nope/);
    const params = await client.startReview(gated, {}, { params: { n: 'many', extra: 1 } }).catch((e: unknown) => e);
    expect(params).toBeInstanceOf(InvalidPipelineError);
    expect((params as InvalidPipelineError).issues).toHaveLength(2);
    await expect(client.startReview('no-such-pipeline')).rejects.toBeInstanceOf(InvalidPipelineError);
    // What only the server knows is too big comes back typed, in the server's words.
    const long = await client.startReview(gated, {}, { id: 'x'.repeat(2000), params: { n: 1 } }).catch((e: unknown) => e);
    expect(long).toBeInstanceOf(InvalidRequestError);
    expect((long as Error).message).toMatch(/^review 'x+': Temporal refused the request: .*WorkflowId.*exceeds/i);
  });

  test('start is idempotent on the id; approve and reject errors are typed; the gate decides the outcome', async () => {
    const id = nextId();
    expect(() => client.checkStart(gated, {}, { id, params: { n: 'three' } })).toThrow(InvalidPipelineError);
    expect(() => client.checkStart(gated, { article: 'x' }, { id, params: { n: '3' } })).not.toThrow();
    const first = await client.startReview(gated, { article: 'x' }, { id, subject: 'doc 1', tenant: 'team-a', params: { n: '3' }, requestTime: '2026-11-25T10:00:00Z' });
    const second = await client.startReview(gated, { article: 'y' }, { id });
    expect(first).toEqual({ reviewId: id, runId: expect.any(String), existing: false });
    expect(second).toEqual({ reviewId: id, runId: first.runId, existing: true });
    await expect(client.getStatus('does-not-exist')).rejects.toBeInstanceOf(ReviewNotFoundError);

    await withWorkers(async () => {
      const waiting = await untilState(id, 'awaiting_approval');
      expect(waiting.subject).toBe('doc 1');
      expect(waiting.steps.find((s) => s.id === 'check')).toMatchObject({ state: 'succeeded', attempts: 1 });
      await expect(client.approve(id, { by: 'mallory' })).rejects.toBeInstanceOf(NotAllowedError);
      await expect(client.approve(id, { step: 'check', by: 'alice' })).rejects.toBeInstanceOf(GateNotOpenError);
      await expect(client.retry(id)).rejects.toBeInstanceOf(ReviewConflictError);
      const gate = await client.approve(id, { by: 'bob', roles: ['maintainer'], comment: 'ok' });
      expect(gate.outcome).toBe('approved');
      const result = await client.result(id);
      expect(result.outcome).toBe('completed');
      expect(result.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      const described = await client.describe(id);
      expect(described).toMatchObject({ pipeline: name, tenant: 'team-a', subject: 'doc 1', execution: 'COMPLETED', requestTime: '2026-11-25T10:00:00Z' });
      const listed = await waitFor(async () => (await client.list({ subject: 'doc 1', tenant: 'team-a' })).find((r) => r.reviewId === id));
      expect(listed.requestTime).toBe('2026-11-25T10:00:00Z');
      expect(described.summary).toContain(name);
      expect(await client.getStatus(id)).toMatchObject({ state: 'completed' });
      await expect(client.approve(id, { by: 'alice' })).rejects.toBeInstanceOf(ReviewAlreadyFinishedError);
      await expect(client.pause(id)).rejects.toBeInstanceOf(ReviewAlreadyFinishedError);

      const rejectedId = nextId();
      await client.startReview(gated, {}, { id: rejectedId });
      await untilState(rejectedId, 'awaiting_approval');
      const rejected = await client.reject(rejectedId, { by: 'alice', comment: 'no' });
      expect(rejected.outcome).toBe('rejected');
      expect(await client.result(rejectedId)).toMatchObject({ outcome: 'rejected', state: 'rejected' });
    });
  });

  test('pause and resume, watch, cancel', async () => {
    await withWorkers(async () => {
      const id = nextId();
      await client.startReview(slow, {}, { id, priority: 'high', tenant: 'team-b' });
      // Every review runs on the one review queue; its priority and tenant order its workflow tasks there.
      const started = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: id } });
      expect(started.executionConfig?.taskQueue?.name).toBe(prefix);
      expect(started.workflowExecutionInfo?.priority).toMatchObject({ priorityKey: 2, fairnessKey: 'team-b' });
      await client.pause(id, { by: 'ops' });
      await untilState(id, 'paused');
      await client.resume(id);
      const states: string[] = [];
      for await (const status of client.watch(id, { intervalMs: 100 })) states.push(status.state);
      expect(states[states.length - 1]).toBe('completed');

      const cancelled = nextId();
      await client.startReview(slow, {}, { id: cancelled });
      await untilState(cancelled, 'running');
      await client.cancel(cancelled, 'not needed');
      const result = await client.result(cancelled);
      expect(result).toMatchObject({ outcome: 'cancelled', state: 'cancelled' });
      await expect(client.cancel(cancelled)).rejects.toBeInstanceOf(ReviewAlreadyFinishedError);
    });
  });

  test('a failed review returns its final status, can be retried while open, and lists by status', async () => {
    await withWorkers(async () => {
      recorder.broken.add('boom');
      const failed = nextId();
      await client.startReview(failing, {}, { id: failed });
      const result = await client.result(failed);
      expect(result.outcome).toBe('failed');
      expect(result.steps.find((s) => s.id === 'boom')).toMatchObject({ state: 'failed' });

      // A failed review stands, unless the caller asks for failed ones to run again (the webhook, on reopened).
      const refailing = { ...failing, name: `${name}-refail` };
      const once = nextId();
      const first = await client.startReview(refailing, {}, { id: once, restartIfCancelled: true, requestKey: 'k-1' });
      await client.result(once);
      expect(await client.startReview(refailing, {}, { id: once, restartIfCancelled: true, requestKey: 'k-2' })).toMatchObject({ runId: first.runId, existing: true, closed: true });
      recorder.broken.delete('boom');
      const again = await client.startReview(refailing, {}, { id: once, restartIfCancelled: true, restartIfFailed: true, requestKey: 'k-3' });
      expect(again).toMatchObject({ existing: false });
      expect(again.runId).not.toBe(first.runId);
      expect(await client.result(once)).toMatchObject({ outcome: 'completed' });
      expect(await client.startReview(refailing, {}, { id: once, restartIfCancelled: true, restartIfFailed: true, requestKey: 'k-4' })).toMatchObject({ runId: again.runId, existing: true, closed: true });
      recorder.broken.add('boom');

      const retried = nextId();
      await client.startReview(failing, {}, { id: retried, retryWindow: '1m' });
      await untilState(retried, 'failed');
      recorder.broken.delete('boom');
      expect(await client.retry(retried, {})).toEqual({ rerun: ['boom', 'after'] });
      expect(await client.result(retried)).toMatchObject({ outcome: 'completed' });
    });
    await waitFor(async () => ((await client.count({ pipeline: failing.name, status: 'failed' })) === 1 ? true : undefined), 60_000);
    await waitFor(async () => ((await client.count({ pipeline: failing.name, status: 'completed' })) === 1 ? true : undefined), 60_000);
    const listed = await client.list({ pipeline: failing.name });
    expect(listed.map((r) => r.state).sort()).toEqual(['completed', 'failed']);
    expect(listed[0]).toMatchObject({ pipeline: failing.name, priority: 'normal', taskQueue: prefix });
    expect(await client.list({ pipeline: failing.name, limit: 1 })).toHaveLength(1);
  });

  test('schedules: create, list, delete', async () => {
    const id = `${prefix}-schedule`;
    await client.createSchedule({ id, pipeline: slow, every: '1h', paused: true, note: 'nightly' });
    await expect(client.createSchedule({ id, pipeline: slow, cron: '0 3 * * *' })).rejects.toBeInstanceOf(ReviewConflictError);
    const listed = await waitFor(async () => (await client.listSchedules()).find((s) => s.scheduleId === id), 60_000);
    expect(listed).toMatchObject({ pipeline: slow.name, every: ['1h'], paused: true });
    await client.deleteSchedule(id);
    await expect(client.deleteSchedule(id)).rejects.toBeInstanceOf(ReviewNotFoundError);
  });
});
