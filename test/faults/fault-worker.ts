/** The worker used by the fault tests: the real worker plus a `ledger` executor that applies a side effect once. */
import { z } from 'zod';
import { defineExecutor } from '../../activities';
import { sleep } from '../../activities/lib/sleep';
import { runWorker } from '../../workers/main';
import { appendEntry, hasEntry } from './ledger';

const ledgerPath = process.env.FAULT_LEDGER;
if (!ledgerPath) throw new Error('FAULT_LEDGER must name the ledger file');

const ledger = defineExecutor({
  type: 'ledger',
  description: 'Works for delayMs (heartbeating), then records its side effect in the ledger unless already recorded',
  input: z.object({ delayMs: z.number().int().min(0).default(0) }),
  async run(input, ctx) {
    const end = Date.now() + input.delayMs;
    while (Date.now() < end) {
      ctx.heartbeat();
      await sleep(Math.min(100, end - Date.now()), ctx.signal);
    }
    const applied = !hasEntry(ledgerPath, ctx.review.id, ctx.stepId);
    if (applied) appendEntry(ledgerPath, { reviewId: ctx.review.id, stepId: ctx.stepId, attempt: ctx.attempt, pid: process.pid });
    return { applied, attempt: ctx.attempt };
  },
});

runWorker({ executors: [ledger] }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
