import { createHmac } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { ApprovalLink } from '../../src/ui/gate-links';
import { LINKED_KINDS, reminderApprovalLinks, withLinkLines, workerLinkSources } from '../../src/ui/reminder-links';
import { NotifyOutputSchema } from '../../src/definition/executor-outputs';
import { defineExecutor, type ExecutorContext } from '../executor';
import { DurationMsSchema } from '../lib/duration-input';
import { httpCall, readText, statusError } from '../lib/http';

const NotifyInput = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Webhook that receives the message as a JSON POST'),
  text: z.string().min(1),
  event: z.string().optional().describe('What happened: reminder, escalation, outcome, …'),
  data: z.record(z.string(), z.unknown()).optional().describe('Extra fields sent along'),
  headers: z.record(z.string(), z.string()).default({}),
  hmacSecret: z.string().min(1).optional().describe('Signs the body with HMAC-SHA256 (list it under the step\'s `secret`)'),
  signatureHeader: z.string().min(1).default('x-review-signature'),
  timeout: DurationMsSchema.default(10_000),
});

const NotifyOutput = NotifyOutputSchema;

/**
 * The signed approval links a gate's reminder or escalation carries, one per approver yet to decide, when
 * this worker has REVIEW_UI_KEY and REVIEW_UI_BASE_URL; none otherwise. A failure to make them is logged
 * and the message goes out without them.
 */
async function approvalLinks(ctx: ExecutorContext): Promise<ApprovalLink[]> {
  if (!LINKED_KINDS.has(ctx.kind)) return [];
  try {
    const sources = workerLinkSources(() => Context.current().client);
    return await reminderApprovalLinks({ reviewId: ctx.review.id, gateId: ctx.stepId, kind: ctx.kind }, sources);
  } catch (error) {
    ctx.logger.warn({ event: 'notify.links_failed', err: error instanceof Error ? error.message : String(error) }, 'approval links left out of the notification');
    return [];
  }
}

export const notifyExecutor = defineExecutor({
  type: 'notify',
  description: 'Posts a JSON message ({ text, event, review, step, data }) to a webhook, optionally signed with HMAC-SHA256',
  input: NotifyInput,
  output: NotifyOutput,
  async run(input, ctx) {
    const links = await approvalLinks(ctx);
    const body = JSON.stringify({
      text: withLinkLines(input.text, links),
      event: input.event,
      review: ctx.review,
      step: { id: ctx.stepId, kind: ctx.kind, attempt: ctx.attempt },
      data: input.data,
      ...(links.length > 0 ? { approvalLinks: links } : {}),
      sentAt: new Date().toISOString(),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', ...input.headers };
    if (input.hmacSecret) {
      headers[input.signatureHeader] = `sha256=${createHmac('sha256', input.hmacSecret).update(body).digest('hex')}`;
    }
    const response = await httpCall({ method: 'POST', url: input.url, headers, body, timeoutMs: input.timeout }, ctx.signal);
    const { text } = await readText(response, 64 * 1024);
    if (!response.ok) throw statusError('POST', input.url, response, text);
    ctx.logger.info({ event: 'notify.delivered', status: response.status }, 'notification delivered');
    return { status: response.status, delivered: true };
  },
  summarize: (output) => `delivered (HTTP ${output.status})`,
});
