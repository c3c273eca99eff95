/** One pino logger for the worker process; the Temporal runtime (core, workflow and SDK logs) writes to it. */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import pino, { type Logger } from 'pino';
import { REDACT_PATHS } from '../activities/logger';

export function createWorkerLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && !process.env.LOG_FORMAT ? prettyTransport() : undefined;
  return pino({
    level,
    base: { component: 'worker', pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty ? { transport: pretty } : {}),
  });
}

function prettyTransport(): pino.TransportSingleOptions | undefined {
  try {
    require.resolve('pino-pretty');
    return { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } };
  } catch {
    return undefined;
  }
}

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Adapts pino to the Temporal SDK's Logger, naming the review on workflow log lines. */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly pino: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const fields: Record<string, unknown> = { ...meta };
    if (typeof fields.workflowId === 'string' && fields.workflowType === 'reviewWorkflow') fields.reviewId = fields.workflowId;
    this.pino[LEVELS[level]](fields, message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
