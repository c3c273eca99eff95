import { ApplicationFailure, Context, sleep } from '@temporalio/activity';
import type { StepRequest, StepResponse } from '../../activities/types';

export interface StepEvent {
  step: string;
  kind: string;
  uses: string;
  attempt: number;
  /** Test-server time (time-skipped) at which this attempt started. */
  serverTime: number;
  /** Wall-clock start and end of the attempt. */
  start: number;
  end: number;
  outcome: 'ok' | 'failed' | 'cancelled';
  /** The step's `with`, as the workflow resolved it. */
  input?: Record<string, unknown>;
}

/**
 * Test activities with the real `runStep` contract that record what ran when. `uses` selects the behaviour:
 * echo ({ delayMs }), fail ({ failTimes, nonRetryable }), flaky (fails while its step is in `broken`),
 * hang (heartbeats until cancelled), big ({ bytes }: returns an output of that size).
 */
export function recordingActivities(serverClock: () => Promise<number> = async () => Date.now()) {
  const events: StepEvent[] = [];
  const broken = new Set<string>();
  async function runStep(request: StepRequest): Promise<StepResponse> {
    const ctx = Context.current();
    const { attempt } = ctx.info;
    const event: StepEvent = {
      step: request.stepId,
      kind: request.kind,
      uses: request.uses,
      attempt,
      serverTime: await serverClock(),
      start: Date.now(),
      end: 0,
      outcome: 'ok',
      input: request.with,
    };
    events.push(event);
    const done = (outcome: StepEvent['outcome']) => {
      event.end = Date.now();
      event.outcome = outcome;
    };
    const w = request.with;
    try {
      switch (request.uses) {
        case 'fail': {
          const failTimes = Number(w.failTimes ?? Number.POSITIVE_INFINITY);
          if (attempt <= failTimes) {
            if (w.nonRetryable) throw ApplicationFailure.nonRetryable(`broken on attempt ${attempt}`, 'Broken');
            throw ApplicationFailure.retryable(`failed attempt ${attempt}`, 'Flaky');
          }
          break;
        }
        case 'flaky':
          if (broken.has(request.stepId)) throw ApplicationFailure.nonRetryable(`${request.stepId} is broken`, 'Broken');
          break;
        case 'hang':
          for (;;) {
            ctx.heartbeat();
            await sleep(50);
          }
        default:
          if (w.delayMs) await sleep(Number(w.delayMs));
      }
    } catch (err) {
      done(Context.current().cancellationSignal.aborted ? 'cancelled' : 'failed');
      throw err;
    }
    done('ok');
    if (request.uses === 'big') return { output: { passed: true, blob: 'x'.repeat(Number(w.bytes)) }, summary: 'big ok', attempt };
    return { output: { ...w, step: request.stepId, attempt }, summary: `${request.uses} ok`, attempt };
  }
  return { activities: { runStep }, events, broken };
}
