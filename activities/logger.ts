/** The pino logger of the activities: JSON lines, level from LOG_LEVEL, credentials redacted by path. */
import pino, { type DestinationStream, type Logger } from 'pino';
import { z } from 'zod';
import { scrubbingLogger, secretValues, REDACTED } from './lib/redact';
import type { StepRequest } from './types';

const LevelSchema = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** Field paths whose values never reach a log line, wherever a header set or credential is logged. */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
];

export interface ActivityLoggerOptions {
  level?: string;
  destination?: DestinationStream;
}

export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): z.infer<typeof LevelSchema> {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return 'info';
  const parsed = LevelSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`LOG_LEVEL="${env.LOG_LEVEL}" is not a log level; use one of ${LevelSchema.options.join(', ')}`);
  }
  return parsed.data;
}

export function createActivityLogger(options: ActivityLoggerOptions = {}): Logger {
  const level = options.level === undefined ? logLevelFromEnv() : LevelSchema.parse(options.level);
  const config: pino.LoggerOptions = {
    level,
    base: { component: 'activities' },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

let root: Logger | undefined;

/** The process-wide activity logger, created on first use. */
export function activityLogger(): Logger {
  root ??= createActivityLogger();
  return root;
}

/** A logger bound to one attempt of one step, scrubbing the step's secret values from every line. */
export function childFor(request: StepRequest, attempt: number, parent: Logger = activityLogger()): Logger {
  const child = parent.child({
    reviewId: request.review.id,
    pipeline: request.review.pipeline,
    priority: request.review.priority,
    stepId: request.stepId,
    kind: request.kind,
    uses: request.uses,
    attempt,
  });
  return scrubbingLogger(child, secretValues(request.with, request.secret));
}
