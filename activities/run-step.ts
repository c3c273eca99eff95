/** The one activity of the review workflow: runs a step's executor with validated input and maps its outcome. */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ExecutorContext } from './executor';
import { toFailure } from './lib/failure';
import { heartbeatInterval, startHeartbeats } from './lib/heartbeats';
import { DEFAULT_OUTPUT_LIMIT_BYTES, limitOutput } from './lib/output-limit';
import { knownSecretForms, redactKeys, scrubbingLogger, scrubValue, secretValues } from './lib/redact';
import { defaultSecretResolver, resolveSecrets, type SecretResolver } from './secrets';
import { activityLogger, childFor } from './logger';
import type { ExecutorRegistry } from './registry';
import type { RemoveWorkspaceRequest, RemoveWorkspaceResponse, StepRequest, StepResponse } from './types';
import type { WorkspaceHost } from './workspace-host';

const LOGGED_INPUT_BYTES = 8 * 1024;

export interface ActivitiesOptions {
  /** Parent of every step logger (default: the activity root logger). */
  logger?: Logger;
  /** Serialized outputs larger than this are cut down (default 256 KiB). */
  maxOutputBytes?: number;
  /** Source of randomness for retry jitter. */
  random?: () => number;
  /** This worker's workspaces and own task queue (for `checkout` and `removeWorkspace`). */
  workspaces?: WorkspaceHost;
  /** Where `${{ secrets.NAME }}` values come from (default: REVIEW_SECRET_<NAME>, then REVIEW_SECRETS_FILE). */
  secrets?: SecretResolver;
}

export interface ReviewActivities {
  runStep(request: StepRequest): Promise<StepResponse>;
  /** Removes a review's workspace on the worker that holds it (called on that worker's own queue); never fails. */
  removeWorkspace(request: RemoveWorkspaceRequest): Promise<RemoveWorkspaceResponse>;
}

export function createActivities(registry: ExecutorRegistry, options: ActivitiesOptions = {}): ReviewActivities {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_OUTPUT_LIMIT_BYTES;
  const resolver = options.secrets ?? defaultSecretResolver();

  async function runStep(request: StepRequest): Promise<StepResponse> {
    const context = Context.current();
    const attempt = context.info.attempt;
    let logger = childFor(request, attempt, options.logger ?? activityLogger());
    let resolved: Awaited<ReturnType<typeof resolveSecrets>>;
    try {
      resolved = await resolveSecrets(request.with, resolver, request.stepId);
    } catch (err) {
      logger.error({ event: 'step.failed', errorType: 'MissingSecret' }, err instanceof Error ? err.message : String(err));
      throw err;
    }
    const known = knownSecretForms((await resolver.knownValues?.()) ?? []);
    const secrets = [...new Set([...secretValues(resolved.value, request.secret), ...resolved.values.filter((v) => v.length >= 3), ...known])].sort((a, b) => b.length - a.length);
    if (secrets.length > 0) logger = scrubbingLogger(logger, secrets);

    const executor = registry.get(request.uses);
    if (!executor) {
      const message = `step "${request.stepId}" uses unknown executor "${request.uses}"; registered types: ${registry.types().join(', ')}`;
      logger.error({ event: 'step.failed', errorType: 'UnknownExecutor' }, message);
      throw ApplicationFailure.nonRetryable(message, 'UnknownExecutor');
    }

    const parsed = executor.input.safeParse(resolved.value);
    if (!parsed.success) {
      const message = `step "${request.stepId}" (uses: ${request.uses}) has invalid input: ${describeIssues(parsed.error, 'with')}`;
      logger.error({ event: 'step.failed', errorType: 'InvalidStepInput' }, message);
      throw ApplicationFailure.nonRetryable(message, 'InvalidStepInput');
    }

    const heartbeats = startHeartbeats(
      (details) => context.heartbeat(scrubValue(details, secrets)),
      heartbeatInterval(context.info.heartbeatTimeoutMs),
    );
    const ctx: ExecutorContext = {
      logger,
      heartbeat: (details) => heartbeats.beat(details),
      signal: context.cancellationSignal,
      attempt,
      review: request.review,
      stepId: request.stepId,
      kind: request.kind,
      ...(options.workspaces ? { workspace: options.workspaces } : {}),
    };
    const started = Date.now();
    const logged = limitOutput(redactKeys(request.with, request.secret), LOGGED_INPUT_BYTES);
    logger.info({ event: 'step.started', with: logged?.value ?? '[too large to log]' }, `step ${request.stepId} started`);
    try {
      const raw = await executor.run(parsed.data, ctx);
      const output = validateOutput(executor.output, raw, request);
      const limited = limitOutput(scrubValue(output, secrets), maxOutputBytes);
      if (!limited) {
        throw ApplicationFailure.nonRetryable(
          `step "${request.stepId}" produced an output larger than ${maxOutputBytes} bytes that could not be cut down`,
          'OutputTooLarge',
        );
      }
      const summary = executor.summarize?.(output);
      const durationMs = Date.now() - started;
      logger.info({ event: 'step.completed', durationMs, summary, truncated: limited.truncated }, `step ${request.stepId} completed`);
      return summary === undefined ? { output: limited.value } : { output: limited.value, summary };
    } catch (err) {
      const durationMs = Date.now() - started;
      if (context.cancellationSignal.aborted) {
        logger.warn({ event: 'step.cancelled', durationMs }, `step ${request.stepId} cancelled`);
        const reason: unknown = context.cancellationSignal.reason;
        throw reason instanceof CancelledFailure ? reason : new CancelledFailure('step cancelled');
      }
      const failure = toFailure(err, { attempt, backoff: request.backoff, secrets, random: options.random });
      logger.warn(
        {
          event: 'step.failed',
          durationMs,
          errorType: failure.type,
          retryable: !failure.nonRetryable,
          nextRetryDelayMs: failure.nextRetryDelay,
        },
        `step ${request.stepId} failed: ${failure.message}`,
      );
      throw failure;
    } finally {
      heartbeats.stop();
    }
  }

  async function removeWorkspace(request: RemoveWorkspaceRequest): Promise<RemoveWorkspaceResponse> {
    const host = options.workspaces;
    const logger = options.logger ?? activityLogger();
    if (!host) return { removed: false, reason: 'this worker has no workspace root' };
    try {
      const removed = await host.remove(request.workspace);
      if (removed) logger.info({ reviewId: request.reviewId, workspace: request.workspace }, 'workspace removed');
      return removed ? { removed } : { removed, reason: `${request.workspace} is not a workspace of ${host.queue}` };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ reviewId: request.reviewId, workspace: request.workspace, err: reason }, 'workspace could not be removed');
      return { removed: false, reason };
    }
  }

  return { runStep, removeWorkspace };
}

function validateOutput(schema: z.ZodType | undefined, raw: unknown, request: StepRequest): unknown {
  if (!schema) return raw;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.nonRetryable(
    `executor "${request.uses}" returned an output that does not match its schema: ${describeIssues(parsed.error, 'output')}`,
    'InvalidStepOutput',
  );
}

function describeIssues(error: z.ZodError, root: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${root}${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}: ${issue.message}`)
    .join('; ');
}
