import { z } from 'zod';
import { EchoOutputSchema } from '../../src/definition/executor-outputs';
import { defineExecutor } from '../executor';
import { sleep } from '../lib/sleep';

const EchoInput = z.looseObject({
  delayMs: z.number().int().min(0).max(86_400_000).optional().describe('Wait this long (heartbeating, cancellable) before answering'),
  heartbeatMs: z.number().int().min(10).max(60_000).default(1_000).describe('Heartbeat interval while waiting'),
});

/** Returns its input, after an optional delay: for tests, demos and benchmarks. */
export const echoExecutor = defineExecutor({
  type: 'echo',
  description: 'Returns its input unchanged, optionally after `delayMs` (heartbeating, cancellable)',
  input: EchoInput,
  output: EchoOutputSchema,
  async run(input, ctx) {
    const delayMs = input.delayMs ?? 0;
    const started = Date.now();
    while (Date.now() - started < delayMs) {
      const elapsedMs = Date.now() - started;
      ctx.heartbeat({ elapsedMs, remainingMs: delayMs - elapsedMs });
      await sleep(Math.min(input.heartbeatMs, delayMs - elapsedMs), ctx.signal);
    }
    return input;
  },
  summarize: () => 'echoed',
});
