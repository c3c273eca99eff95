/**
 * Runs the pull-request webhook as a service. Settings from the environment:
 *   REVIEW_WEBHOOK_SECRET (required), REVIEW_WEBHOOK_ADDRESS (default 0.0.0.0:8787),
 *   REVIEW_WEBHOOK_PIPELINE (default pr-review), REVIEW_WEBHOOK_PARAMS (its params, JSON), REVIEW_GITHUB_API_URL (default https://api.github.com),
 *   REVIEW_WEBHOOK_REVIEW_DRAFTS (default false), REVIEW_WEBHOOK_GATE (default: the single open gate),
 *   REVIEW_WEBHOOK_DEADLINE (default 2s), REVIEW_DIRECTORY_FILE, REVIEW_TASK_QUEUE_PREFIX,
 *   REVIEW_UI_BASE_URL (the review page, GitHub's details link), else REVIEW_WEB_UI_URL (the Temporal Web UI);
 * Temporal connection settings from Temporal's environment configuration.
 */
import pino from 'pino';
import { z } from 'zod';
import { connectReviewClient } from '../client/connect';
import { INSTALLATION_NAME, INSTALLATION_NAME_RULE } from '../client/installation-name';
import { reviewUiBase } from '../client/page-url';
import { tryParseDuration } from '../definition/duration';
import { fileDirectory, type Directory } from '../directory/directory';
import { listenAddressProblem, listenError, parseListenAddress } from '../http/listen-address';
import { loadPipelineSource } from '../client/pipeline-source';
import type { Pipeline } from '../definition/schema';
import { resolveParams } from '../definition/templates';
import { createWebhookServer } from './server';

const Bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', ''].includes(v), { message: `write ${name}=true or ${name}=false` })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .optional();

const DEFAULT_ADDRESS = '0.0.0.0:8787';
const API_URL_HINT = 'write the REST API base, e.g. https://api.github.com or https://github.example.com/api/v3';

export const WebhookConfigSchema = z.object({
  REVIEW_WEBHOOK_SECRET: z.string({ message: 'set REVIEW_WEBHOOK_SECRET to the webhook secret (at least 16 characters)' }).min(16, { message: 'set REVIEW_WEBHOOK_SECRET to the webhook secret (at least 16 characters)' }),
  REVIEW_WEBHOOK_ADDRESS: z
    .string()
    .default(DEFAULT_ADDRESS)
    .superRefine((value, ctx) => {
      const problem = listenAddressProblem(value, DEFAULT_ADDRESS);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  REVIEW_GITHUB_API_URL: z.string().url({ message: API_URL_HINT }).optional(),
  /** The former name of REVIEW_GITHUB_API_URL, still read. */
  REVIEW_STATUS_API_URL: z.string().url({ message: `${API_URL_HINT} (or set REVIEW_GITHUB_API_URL, its current name)` }).optional(),
  REVIEW_WEBHOOK_PIPELINE: z.string().default('pr-review'),
  REVIEW_WEBHOOK_PARAMS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: `write the pipeline's params as a JSON object, e.g. {"report":"checks","strict":false}` });
      return z.NEVER;
    }),
  REVIEW_WEBHOOK_REVIEW_DRAFTS: Bool('REVIEW_WEBHOOK_REVIEW_DRAFTS'),
  REVIEW_WEBHOOK_GATE: z.string().trim().min(1, { message: "name the gate step that pull request reviews decide, e.g. maintainer-approval, or leave it unset for the pipeline's only open gate" }).optional(),
  REVIEW_WEBHOOK_DEADLINE: z
    .string()
    .optional()
    .refine((v) => v === undefined || (tryParseDuration(v) ?? 0) >= 100, { message: 'write a duration of at least 100ms, e.g. 2s' }),
  REVIEW_DIRECTORY_FILE: z.string().trim().optional(),
  REVIEW_TASK_QUEUE_PREFIX: z
    .string()
    .trim()
    .refine((v) => v === '' || INSTALLATION_NAME.test(v), { message: `${INSTALLATION_NAME_RULE}; set it to the workers' REVIEW_TASK_QUEUE_PREFIX` })
    .optional(),
  REVIEW_WEB_UI_URL: z.string().url({ message: 'write the Temporal Web UI base, e.g. https://temporal.example.com' }).optional(),
  REVIEW_UI_BASE_URL: z
    .string()
    .trim()
    .refine((v) => v === '' || reviewUiBase(v) !== undefined, { message: 'write where the review page is reached, an http(s) URL, e.g. https://reviews.example.com' })
    .optional(),
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

/** The webhook's settings from the environment, or an error naming every bad variable and what it expects. */
export function webhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const parsed = WebhookConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

/** A review's page (REVIEW_UI_BASE_URL), the link GitHub shows beside the status or check run. */
export function reviewPageLink(base: string): (reviewId: string) => string {
  const root = reviewUiBase(base) ?? base.replace(/\/+$/, '');
  return (reviewId) => `${root}/reviews/${encodeURIComponent(reviewId)}`;
}

/**
 * Where GitHub's details link points: the review page when REVIEW_UI_BASE_URL is set, else the review in
 * the Temporal Web UI (REVIEW_WEB_UI_URL), else nowhere.
 */
export function detailsLink(config: Pick<WebhookConfig, 'REVIEW_UI_BASE_URL' | 'REVIEW_WEB_UI_URL'>, namespace: string): ((reviewId: string) => string) | undefined {
  if (config.REVIEW_UI_BASE_URL) return reviewPageLink(config.REVIEW_UI_BASE_URL);
  if (config.REVIEW_WEB_UI_URL) return webUiLink(config.REVIEW_WEB_UI_URL, namespace);
  return undefined;
}

/** A review in the Temporal Web UI, the page GitHub links to until the review page is configured. */
export function webUiLink(base: string, namespace: string): (reviewId: string) => string {
  const root = base.replace(/\/+$/, '');
  return (reviewId) => `${root}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(reviewId)}`;
}

/**
 * What stops every review this webhook would start or decide, found before it listens: a pipeline that does
 * not load or validate, or a REVIEW_WEBHOOK_GATE that is not one of its gates. Empty when there is none.
 */
export function webhookPipelineProblems(config: Pick<WebhookConfig, 'REVIEW_WEBHOOK_PIPELINE'> & Partial<Pick<WebhookConfig, 'REVIEW_WEBHOOK_GATE' | 'REVIEW_WEBHOOK_PARAMS'>>): string[] {
  let pipeline: Pipeline;
  try {
    pipeline = loadPipelineSource(config.REVIEW_WEBHOOK_PIPELINE);
  } catch (error) {
    return [`REVIEW_WEBHOOK_PIPELINE (${config.REVIEW_WEBHOOK_PIPELINE}): ${error instanceof Error ? error.message : String(error)}`];
  }
  const params = resolveParams(pipeline, config.REVIEW_WEBHOOK_PARAMS ?? {});
  if (!params.ok) return params.issues.map((i) => `REVIEW_WEBHOOK_PARAMS: ${i.path ? `${i.path}: ` : ''}${i.message}${i.hint ? ` (${i.hint})` : ''}`);
  const gates = pipeline.steps.filter((s) => s.gate).map((s) => s.id);
  if (config.REVIEW_WEBHOOK_GATE !== undefined && !gates.includes(config.REVIEW_WEBHOOK_GATE)) {
    return [`REVIEW_WEBHOOK_GATE: ${config.REVIEW_WEBHOOK_GATE} is not a gate of pipeline ${pipeline.name} (its gates: ${gates.join(', ') || 'none'}); every approval from GitHub would be ignored`];
  }
  return [];
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = webhookConfig(env);
  const problems = webhookPipelineProblems(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const logger = pino({ name: 'review-webhook' });
  const directory: Directory | undefined = config.REVIEW_DIRECTORY_FILE ? fileDirectory(config.REVIEW_DIRECTORY_FILE) : undefined;
  // Lazy: the webhook starts (and answers 503) while Temporal is down, and recovers when it is back.
  const client = await connectReviewClient({
    lazy: true,
    env,
    directory: directory ?? null,
  });
  const apiUrl = config.REVIEW_GITHUB_API_URL ?? config.REVIEW_STATUS_API_URL;
  const deadline = config.REVIEW_WEBHOOK_DEADLINE ? tryParseDuration(config.REVIEW_WEBHOOK_DEADLINE) : undefined;
  const detailsUrl = detailsLink(config, client.namespace);
  const webhook = createWebhookServer({
    secret: config.REVIEW_WEBHOOK_SECRET,
    client,
    pipeline: config.REVIEW_WEBHOOK_PIPELINE,
    ...(config.REVIEW_WEBHOOK_PARAMS ? { reviewOptions: { params: config.REVIEW_WEBHOOK_PARAMS } } : {}),
    logger,
    ...(apiUrl ? { apiUrl } : {}),
    ...(config.REVIEW_WEBHOOK_REVIEW_DRAFTS !== undefined ? { reviewDrafts: config.REVIEW_WEBHOOK_REVIEW_DRAFTS } : {}),
    ...(config.REVIEW_WEBHOOK_GATE ? { gateStep: config.REVIEW_WEBHOOK_GATE } : {}),
    ...(deadline !== undefined ? { deadlineMs: deadline } : {}),
    ...(directory ? { directory } : {}),
    ...(detailsUrl ? { detailsUrl } : {}),
  });
  const { host, port } = parseListenAddress(config.REVIEW_WEBHOOK_ADDRESS, 'REVIEW_WEBHOOK_ADDRESS', DEFAULT_ADDRESS);
  const url = await webhook.listen(port, host).catch((error: unknown) => {
    throw listenError(error, 'REVIEW_WEBHOOK_ADDRESS', config.REVIEW_WEBHOOK_ADDRESS);
  });
  logger.info(
    { url, pipeline: config.REVIEW_WEBHOOK_PIPELINE, apiUrl: apiUrl ?? 'https://api.github.com', reviewDrafts: config.REVIEW_WEBHOOK_REVIEW_DRAFTS ?? false, directory: directory?.source ?? 'none (trusting mode)' },
    'pull-request webhook listening',
  );
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
