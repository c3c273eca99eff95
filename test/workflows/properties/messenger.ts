/**
 * Sends one scripted message to a review and records its answer, with the status and server time just
 * before it. Never throws for what the workflow answers: refusals, closed reviews and transport
 * errors are all recorded.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { approveSignal, approveUpdate, cancelReasonSignal, pauseSignal, rejectSignal, rejectUpdate, resumeSignal, retryUpdate, statusQuery } from '../../../workflows/messages';
import type { DecisionInput, GateStatus, RetryAccepted } from '../../../workflows/types';
import type { Message } from './model';
import type { Answer, MessageRecord, ObservedStatus } from './observation';
import { isClosed, type StartedHandle } from './chain';
import { guarded, InconclusiveRun, StuckReview } from './stuck';
import { withTimeout } from '../../helpers/wait';

const ANSWER_TIMEOUT_MS = 20_000;

/** Every cancel the driver sends comes with a reason that starts so (checks/closing.ts). */
export const DRIVER_CANCEL_REASON = 'driver cancel';

export async function queryStatus(handle: StartedHandle): Promise<ObservedStatus> {
  return (await withTimeout(handle.query(statusQuery), ANSWER_TIMEOUT_MS, 'status query')) as ObservedStatus;
}

interface Reply {
  answer: Answer;
  gate?: GateStatus;
  rerun?: string[];
  detail?: string;
}

export class Messenger {
  readonly records: MessageRecord[] = [];

  constructor(
    private readonly env: TestWorkflowEnvironment,
    readonly handle: StartedHandle,
    /** Makes the flaky steps work (the `repair` script entry). */
    private readonly repair: () => void = () => undefined,
    private readonly trace: (line: string) => void = () => undefined,
  ) {}

  /** Waits for `work`, ending the run if the review's workflow task keeps failing meanwhile. */
  guard<T>(work: Promise<T>, what: string): Promise<T> {
    return guarded(this.env.client.workflow, this.handle, work, what);
  }

  /** Whether the review has closed (its last run, following continue-as-new). */
  async closed(): Promise<boolean> {
    try {
      return await withTimeout(isClosed(this.env.client.workflow, this.handle), ANSWER_TIMEOUT_MS, 'reading the review\'s runs');
    } catch (err) {
      if (err instanceof InconclusiveRun) throw err;
      throw new InconclusiveRun(`the test server does not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async send(message: Message, phase: MessageRecord['phase']): Promise<MessageRecord> {
    const queriedAt = await this.env.currentTimeMs();
    const pre = await this.guard(queryStatus(this.handle), 'status query').catch((err: unknown) => {
      if (err instanceof StuckReview || err instanceof InconclusiveRun) throw err;
      return undefined;
    });
    this.trace(`  pre-query for ${message.kind}: ${pre ? `${pre.state}/${pre.phase ?? '-'}` : 'no answer'}`);
    const sentAt = await this.env.currentTimeMs();
    let reply: Reply;
    try {
      reply = await this.guard(withTimeout(this.deliver(message), ANSWER_TIMEOUT_MS, message.kind), message.kind);
    } catch (err) {
      if (err instanceof StuckReview || err instanceof InconclusiveRun) throw err;
      reply = await this.classify(err);
    }
    const record: MessageRecord = { index: this.records.length, phase, message, queriedAt, sentAt, ...reply };
    if (pre) record.pre = pre;
    this.records.push(record);
    return record;
  }

  private async deliver(message: Message): Promise<Reply> {
    const handle = this.handle;
    switch (message.kind) {
      case 'pause':
        await handle.signal(pauseSignal, { by: 'ops' });
        return { answer: 'sent' };
      case 'resume':
        await handle.signal(resumeSignal, { by: 'ops' });
        return { answer: 'sent' };
      case 'cancel':
        // As the review client does: the reason first, since Temporal keeps a cancel request's own reason to itself.
        await handle.signal(cancelReasonSignal, { reason: `${DRIVER_CANCEL_REASON} ${this.records.length}` });
        await handle.cancel();
        return { answer: 'sent' };
      case 'repair':
        this.repair();
        return { answer: 'sent' };
      case 'retry': {
        const accepted: RetryAccepted = await handle.executeUpdate(retryUpdate, { args: [message.from ? { from: message.from } : {}] });
        return { answer: 'ack', rerun: accepted.rerun };
      }
      case 'decide': {
        const input: DecisionInput = { by: message.by, ...(message.step ? { step: message.step } : {}) };
        if (message.via === 'signal') {
          await handle.signal(message.verdict === 'approve' ? approveSignal : rejectSignal, input);
          return { answer: 'sent' };
        }
        const gate = await handle.executeUpdate(message.verdict === 'approve' ? approveUpdate : rejectUpdate, { args: [input] });
        return { answer: 'ack', gate };
      }
    }
  }

  private async classify(err: unknown): Promise<Reply> {
    if (err instanceof WorkflowUpdateFailedError) return { answer: 'refused', detail: String(err.cause?.message ?? err.message) };
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (err instanceof WorkflowNotFoundError) return { answer: 'closed', detail };
    const closed = await this.closed().catch(() => false);
    return { answer: closed ? 'closed' : 'error', detail };
  }
}
