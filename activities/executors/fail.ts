import { z } from 'zod';
import { FailOutputSchema } from '../../src/definition/executor-outputs';
import { defineExecutor, StepError } from '../executor';
import { sleep } from '../lib/sleep';

const FailInput = z.object({
  failTimes: z.number().int().min(0).optional().describe('Attempts that fail before one succeeds (default: every attempt fails)'),
  nonRetryable: z.boolean().default(false).describe('Fail without retrying'),
  errorType: z.string().min(1).default('SimulatedFailure'),
  message: z.string().optional(),
  delayMs: z.number().int().min(0).max(3_600_000).default(0).describe('Work this long before failing or succeeding'),
  output: z.unknown().optional().describe('Returned once an attempt succeeds'),
});

const FailOutput = FailOutputSchema;

/** Fails a given number of attempts and then succeeds, or fails for good: for tests, demos and benchmarks. */
export const failExecutor = defineExecutor({
  type: 'fail',
  description: 'Fails the first `failTimes` attempts (retryable) then returns `output`; with `nonRetryable` fails for good',
  input: FailInput,
  output: FailOutput,
  async run(input, ctx) {
    if (input.delayMs > 0) await sleep(input.delayMs, ctx.signal);
    const message = input.message ?? `simulated failure on attempt ${ctx.attempt}`;
    if (input.nonRetryable) throw new StepError(message, { type: input.errorType, nonRetryable: true });
    if (input.failTimes === undefined || ctx.attempt <= input.failTimes) {
      throw new StepError(message, { type: input.errorType, details: { attempt: ctx.attempt } });
    }
    return { attempt: ctx.attempt, output: input.output };
  },
  summarize: (output) => `succeeded on attempt ${output.attempt}`,
});
