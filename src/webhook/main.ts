/**
 * Runs the pull-request webhook as a service. Settings from the environment:
 *   REVIEW_WEBHOOK_SECRET (required), REVIEW_WEBHOOK_ADDRESS (default 0.0.0.0:8787),
 *   REVIEW_STATUS_API_URL (default https://api.github.com), REVIEW_STATUS_TOKEN or GITHUB_TOKEN,
 *   REVIEW_WEBHOOK_PIPELINE (default pr-review), REVIEW_TASK_QUEUE_PREFIX, REVIEW_WEB_UI_URL;
 * Temporal connection settings from Temporal's environment configuration.
 */
import pino from 'pino';
import { z } from 'zod';
import { connectReviewClient } from '../client/connect';
import { createWebhookServer } from './server';

const WebhookConfigSchema = z.object({
  REVIEW_WEBHOOK_SECRET: z.string().min(16, { message: 'set REVIEW_WEBHOOK_SECRET to the webhook secret (at least 16 characters)' }),
  REVIEW_WEBHOOK_ADDRESS: z.string().regex(/^[^:]+:\d+$/, { message: 'write host:port' }).default('0.0.0.0:8787'),
  REVIEW_STATUS_API_URL: z.string().url().default('https://api.github.com'),
  REVIEW_STATUS_TOKEN: z.string().optional(),
  GITHUB_TOKEN: z.string().optional(),
  REVIEW_WEBHOOK_PIPELINE: z.string().default('pr-review'),
  REVIEW_TASK_QUEUE_PREFIX: z.string().optional(),
  REVIEW_WEB_UI_URL: z.string().url().optional(),
});

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parsed = WebhookConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const config = parsed.data;
  const logger = pino({ name: 'review-webhook' });
  const client = await connectReviewClient(config.REVIEW_TASK_QUEUE_PREFIX ? { taskQueuePrefix: config.REVIEW_TASK_QUEUE_PREFIX } : {});
  const token = config.REVIEW_STATUS_TOKEN ?? config.GITHUB_TOKEN;
  const uiBase = config.REVIEW_WEB_UI_URL?.replace(/\/+$/, '');
  const webhook = createWebhookServer({
    secret: config.REVIEW_WEBHOOK_SECRET,
    client,
    statusApiBaseUrl: config.REVIEW_STATUS_API_URL,
    pipeline: config.REVIEW_WEBHOOK_PIPELINE,
    logger,
    ...(token ? { statusToken: token } : {}),
    ...(uiBase ? { targetUrl: (id: string) => `${uiBase}/namespaces/${client.namespace}/workflows/${encodeURIComponent(id)}` } : {}),
  });
  const [host, port] = [config.REVIEW_WEBHOOK_ADDRESS.replace(/:\d+$/, ''), Number(config.REVIEW_WEBHOOK_ADDRESS.split(':').pop())];
  const url = await webhook.listen(port, host);
  logger.info({ url, pipeline: config.REVIEW_WEBHOOK_PIPELINE, statusApi: config.REVIEW_STATUS_API_URL }, 'pull-request webhook listening');
  const stop = (): void => {
    void webhook.close().then(() => client.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`review webhook: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
