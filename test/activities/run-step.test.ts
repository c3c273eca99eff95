import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { z } from 'zod';
import { createActivities, createRegistry, defineExecutor, StepError } from '../../activities';
import type { BackoffSpec } from '../../activities/types';
import { makeActivities, memoryLogger, runActivity, stepRequest } from './helpers';

const flaky = defineExecutor({
  type: 'throws',
  description: 'throws what it is told',
  input: z.object({ kind: z.enum(['step-retryable', 'step-final', 'plain', 'string', 'retry-after']) }),
  async run(input) {
    switch (input.kind) {
      case 'step-retryable':
        throw StepError.retryable('temporarily down', 'Downstream', { where: 'db' });
      case 'step-final':
        throw StepError.nonRetryable('bad config', 'BadConfig');
      case 'plain':
        throw new TypeError('boom');
      case 'retry-after':
        throw new StepError('slow down', { type: 'Http429', retryAfterMs: 7_000 });
      default:
        throw 'a string';
    }
  },
});

const big = defineExecutor({
  type: 'big',
  description: 'returns a large output',
  input: z.object({ kilobytes: z.number(), items: z.number().default(0) }),
  async run(input) {
    return { text: 'x'.repeat(input.kilobytes * 1024), list: Array.from({ length: input.items }, (_, i) => `item-${i}-${'y'.repeat(200)}`) };
  },
});

const badOutput = defineExecutor({
  type: 'bad-output',
  description: 'returns something its schema refuses',
  input: z.object({}),
  output: z.object({ count: z.number() }),
  async run() {
    return { count: 'three' } as unknown as { count: number };
  },
});

const leaky = defineExecutor({
  type: 'leaky',
  description: 'logs and returns its secret',
  input: z.object({ token: z.string(), nested: z.object({ password: z.string() }) }),
  async run(input, ctx) {
    ctx.logger.info(`calling with ${input.token}`);
    ctx.logger.info({ detail: { value: input.nested.password } }, 'nested');
    ctx.logger.child({ again: input.token }).warn('child line');
    ctx.heartbeat({ using: input.token });
    if (input.token.startsWith('fail')) throw new StepError(`rejected ${input.token}`, { details: { token: input.token } });
    return { echoed: input.token, password: input.nested.password };
  },
});

const activities = makeActivities([flaky, big, badOutput, leaky]);

describe('runStep', () => {
  test('unknown executor types are non-retryable and name the registered types', async () => {
    const { error } = await runActivity(activities, stepRequest('nope', {}));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'UnknownExecutor', nonRetryable: true });
    expect((error as Error).message).toContain('"nope"');
    expect((error as Error).message).toContain('command');
  });

  test('invalid input is non-retryable with the path of the bad field', async () => {
    const { error } = await runActivity(activities, stepRequest('command', { command: 'ls', args: ['-l', 3] }));
    expect(error).toMatchObject({ type: 'InvalidStepInput', nonRetryable: true });
    expect((error as Error).message).toContain('with.args[1]');
    expect((error as Error).message).toContain('step "step-1"');
  });

  test('maps StepError and other errors onto application failures', async () => {
    const retryable = (await runActivity(activities, stepRequest('throws', { kind: 'step-retryable' }))).error as ApplicationFailure;
    expect(retryable).toMatchObject({ type: 'Downstream', nonRetryable: false, message: 'temporarily down' });
    expect(retryable.details).toEqual([{ where: 'db' }]);
    expect(retryable.nextRetryDelay).toBeUndefined();

    const final = (await runActivity(activities, stepRequest('throws', { kind: 'step-final' }))).error;
    expect(final).toMatchObject({ type: 'BadConfig', nonRetryable: true });

    const plain = (await runActivity(activities, stepRequest('throws', { kind: 'plain' }))).error;
    expect(plain).toMatchObject({ type: 'TypeError', nonRetryable: false, message: 'boom' });

    const text = (await runActivity(activities, stepRequest('throws', { kind: 'string' }))).error;
    expect(text).toMatchObject({ type: 'Error', message: 'a string' });
  });

  test('output that does not match the executor schema is non-retryable', async () => {
    const { error } = await runActivity(activities, stepRequest('bad-output', {}));
    expect(error).toMatchObject({ type: 'InvalidStepOutput', nonRetryable: true });
    expect((error as Error).message).toContain('output.count');
  });

  test('sets nextRetryDelay for linear and fixed backoff and jitter, not for plain exponential', async () => {
    const base = { initialIntervalMs: 1_000, coefficient: 2, maxIntervalMs: 10_000, jitter: 0 };
    const run = async (backoff: BackoffSpec, attempt: number) =>
      ((await runActivity(activities, stepRequest('throws', { kind: 'step-retryable' }, { backoff }), { attempt })).error as ApplicationFailure)
        .nextRetryDelay;
    expect(await run({ ...base, backoff: 'linear' }, 3)).toBe(3_000);
    expect(await run({ ...base, backoff: 'linear' }, 30)).toBe(10_000);
    expect(await run({ ...base, backoff: 'fixed' }, 5)).toBe(1_000);
    expect(await run({ ...base, backoff: 'exponential' }, 3)).toBeUndefined();

    const jittered = createActivities(createRegistry([flaky]), { logger: memoryLogger().logger, random: () => 1 });
    const { error } = await runActivity(
      jittered,
      stepRequest('throws', { kind: 'step-retryable' }, { backoff: { ...base, backoff: 'exponential', jitter: 0.2 } }),
      { attempt: 3 },
    );
    expect((error as ApplicationFailure).nextRetryDelay).toBe(4_800);
  });

  test('a Retry-After from the executor sets the next delay; non-retryable failures get none', async () => {
    const { error } = await runActivity(activities, stepRequest('throws', { kind: 'retry-after' }));
    expect((error as ApplicationFailure).nextRetryDelay).toBe(7_000);
    const final = await runActivity(
      activities,
      stepRequest('throws', { kind: 'step-final' }, { backoff: { backoff: 'fixed', initialIntervalMs: 100, coefficient: 1, maxIntervalMs: 100, jitter: 0 } }),
    );
    expect((final.error as ApplicationFailure).nextRetryDelay).toBeUndefined();
  });

  test('secret values never reach the logs, heartbeats, outputs or failures', async () => {
    const log = memoryLogger();
    const guarded = createActivities(createRegistry([leaky]), { logger: log.logger });
    const input = { token: 'tok-SUPERSECRET-123', nested: { password: 'hunter2-pass' } };
    const ok = await runActivity(guarded, stepRequest('leaky', input, { secret: ['token', 'nested'] }));
    expect(ok.response?.output).toEqual({ echoed: '[redacted]', password: '[redacted]' });
    expect(JSON.stringify(ok.heartbeats)).not.toContain('SUPERSECRET');

    const failed = await runActivity(guarded, stepRequest('leaky', { ...input, token: 'fail-SUPERSECRET' }, { secret: ['token', 'nested'] }));
    expect((failed.error as Error).message).toBe('rejected [redacted]');
    expect(JSON.stringify((failed.error as ApplicationFailure).details)).not.toContain('SUPERSECRET');

    const logs = log.text();
    expect(logs).toContain('calling with [redacted]');
    expect(logs).toContain('"stepId":"step-1"');
    expect(logs).toContain('"reviewId":"review-1"');
    expect(logs).not.toContain('SUPERSECRET');
    expect(logs).not.toContain('hunter2');
  });

  test('authorization headers and tokens are redacted by path in every line', async () => {
    const log = memoryLogger();
    const guarded = createActivities(createRegistry(), { logger: log.logger });
    await runActivity(guarded, stepRequest('echo', { headers: { authorization: 'Bearer abc.def' }, token: 'plain-token-value' }));
    expect(log.text()).not.toContain('abc.def');
    expect(log.text()).not.toContain('plain-token-value');
  });

  test('large outputs are cut down with a marker, hopeless ones fail clearly', async () => {
    const small = createActivities(createRegistry([big]), { logger: memoryLogger().logger, maxOutputBytes: 64 * 1024 });
    const { response } = await runActivity(small, stepRequest('big', { kilobytes: 300 }));
    const output = response?.output as { text: string };
    expect(output.text).toMatch(/\[truncated \d+ characters\]$/);
    expect(JSON.stringify(output).length).toBeLessThanOrEqual(64 * 1024);

    const many = await runActivity(small, stepRequest('big', { kilobytes: 1, items: 5_000 }));
    expect((many.response?.output as { list: string[] }).list.at(-1)).toMatch(/^\[truncated \d+ more items\]$/);

    const tiny = createActivities(createRegistry([big]), { logger: memoryLogger().logger, maxOutputBytes: 10 });
    const { error } = await runActivity(tiny, stepRequest('big', { kilobytes: 1 }));
    expect(error).toMatchObject({ type: 'OutputTooLarge', nonRetryable: true });
  });

  test('heartbeats on its own so cancellation reaches executors that never heartbeat', async () => {
    const { error, heartbeats } = await runActivity(activities, stepRequest('echo', { delayMs: 5_000, heartbeatMs: 60_000 }), {
      heartbeatTimeoutMs: 300,
      during: async (env) => {
        await new Promise((resolve) => setTimeout(resolve, 350));
        env.cancel();
      },
    });
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
  });
});
