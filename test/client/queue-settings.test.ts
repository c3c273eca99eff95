import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectReviewClient, InvalidRequestError } from '../../src/client';
import { queueSettingsFromEnv, resolveConnection, taskQueuePrefixFromEnv } from '../../src/client/connect';
import { planStart } from '../../src/client/start-options';
import type { Pipeline } from '../../src/definition/schema';
import { review } from '../cli/run-cli';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(120_000);

const pipeline = { name: `queues-${Date.now().toString(36)}`, steps: [{ id: 'check', uses: 'echo' }] };

describe('REVIEW_TASK_QUEUE_PREFIX and REVIEW_STEP_QUEUES', () => {
  test('are read from the environment, trimmed; unset or empty leaves the default', () => {
    expect(taskQueuePrefixFromEnv({ REVIEW_TASK_QUEUE_PREFIX: ' acme.reviews ' })).toBe('acme.reviews');
    expect(taskQueuePrefixFromEnv({ REVIEW_TASK_QUEUE_PREFIX: '' })).toBeUndefined();
    expect(queueSettingsFromEnv({})).toEqual({});
    expect(queueSettingsFromEnv({ REVIEW_TASK_QUEUE_PREFIX: 'acme', REVIEW_STEP_QUEUES: 'tiers' })).toEqual({ taskQueuePrefix: 'acme', stepQueues: 'tiers' });
  });

  test('what the caller passes wins over the environment, which is then not read', () => {
    expect(queueSettingsFromEnv({ REVIEW_TASK_QUEUE_PREFIX: 'not valid', REVIEW_STEP_QUEUES: 'x' }, { taskQueuePrefix: 'mine', stepQueues: 'workflow' })).toEqual({
      taskQueuePrefix: 'mine',
      stepQueues: 'workflow',
    });
  });

  test('a prefix no worker could have is refused, naming the variable and the rule', () => {
    expect(() => taskQueuePrefix('acme reviews')).toThrow(
      'REVIEW_TASK_QUEUE_PREFIX "acme reviews" is not valid: it may hold letters, digits, . _ and -, starting with a letter or digit (e.g. review)',
    );
    expect(() => taskQueuePrefix('-acme')).toThrow('REVIEW_TASK_QUEUE_PREFIX');
  });

  test('a review started with a prefix no worker could have is refused before it starts', () => {
    const plan = () => planStart({ pipeline: pipeline as Pipeline, params: {}, input: {}, taskQueuePrefix: 'team a' });
    expect(plan).toThrow(InvalidRequestError);
    expect(plan).toThrow(`the task queue prefix "team a" is not valid`);
  });

  test('step queues and a priority a caller without the types made up are refused, at start and at connect', () => {
    const start = (extra: Record<string, unknown>) => () => planStart({ pipeline: pipeline as Pipeline, params: {}, input: {}, ...extra });
    expect(start({ stepQueues: 'bogus' })).toThrow(new InvalidRequestError('stepQueues must be workflow (steps on the review\'s own task queue) or tiers (steps on <prefix>-<tier>), not "bogus"'));
    expect(start({ priority: 'urgent' })).toThrow('priority must be one of critical, high, normal, low, not "urgent"');
    expect(() => queueSettingsFromEnv({}, { stepQueues: 'bogus' as never })).toThrow(InvalidRequestError);
    expect(() => queueSettingsFromEnv({}, { taskQueuePrefix: 'bad space' })).toThrow('the task queue prefix "bad space" is not valid');
  });
});

describe('connection settings', () => {
  test('a Temporal configuration file that does not exist is refused, not silently replaced by the defaults', () => {
    expect(() => resolveConnection({ configFile: '/nonexistent/temporal.toml' })).toThrow(
      new InvalidRequestError('the Temporal configuration file /nonexistent/temporal.toml does not exist: give the path of a TOML profile file, or leave configFile out for the default (TEMPORAL_CONFIG_FILE)'),
    );
    const dir = mkdtempSync(join(tmpdir(), 'temporal-config-'));
    const file = join(dir, 'temporal.toml');
    writeFileSync(file, '[profile.default]\naddress = "temporal.example.com:7233"\nnamespace = "reviews"\n');
    expect(resolveConnection({ configFile: file, env: {} })).toMatchObject({ connection: { address: 'temporal.example.com:7233' }, namespace: 'reviews' });
  });
});

function taskQueuePrefix(value: string): string | undefined {
  return taskQueuePrefixFromEnv({ REVIEW_TASK_QUEUE_PREFIX: value });
}

describe('reviews and schedules start on the prefix of the environment (dev server)', () => {
  const prefix = uniqueTaskQueue('envprefix');
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: devServerAddress() });
    temporal = new Client({ connection, namespace: 'default' });
  });

  afterAll(async () => {
    await connection.close();
  });

  async function taskQueueOf(workflowId: string): Promise<string | undefined> {
    const described = await temporal.workflow.getHandle(workflowId).describe();
    await temporal.workflow.getHandle(workflowId).terminate('test done').catch(() => undefined);
    return described.taskQueue;
  }

  test('connectReviewClient: startReview and createSchedule', async () => {
    const client = await connectReviewClient({ address: devServerAddress(), directory: null, env: { ...process.env, REVIEW_TASK_QUEUE_PREFIX: prefix } });
    try {
      const { reviewId } = await client.startReview(pipeline, {}, { id: `${prefix}-client` });
      expect(await taskQueueOf(reviewId)).toBe(prefix);

      const scheduleId = `${prefix}-schedule`;
      await client.createSchedule({ id: scheduleId, pipeline, every: '1h', paused: true });
      const schedule = temporal.schedule.getHandle(scheduleId);
      try {
        const described = await schedule.describe();
        expect(described.action).toMatchObject({ type: 'startWorkflow', taskQueue: prefix });
      } finally {
        await schedule.delete();
      }
    } finally {
      await client.close();
    }
  });

  test('review start; a bad value is reported as such, not as a connection failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'review-queues-'));
    const file = join(dir, 'pipeline.json');
    writeFileSync(file, JSON.stringify(pipeline));
    const id = `${prefix}-cli`;
    const [started, bad] = await Promise.all([
      review(['start', file, '--id', id], { REVIEW_TASK_QUEUE_PREFIX: prefix }),
      review(['start', file, '--id', `${id}-bad`], { REVIEW_TASK_QUEUE_PREFIX: 'team a' }),
    ]);
    expect(started).toMatchObject({ code: 0, stdout: `${id}\n` });
    expect(await taskQueueOf(id)).toBe(prefix);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('REVIEW_TASK_QUEUE_PREFIX "team a" is not valid');
    expect(bad.stderr).not.toContain('cannot connect');
  });
});
