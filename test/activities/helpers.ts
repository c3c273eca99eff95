import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { createActivities, createRegistry, type ActivitiesOptions, type Executor, type ReviewActivities } from '../../activities';
import { REDACT_PATHS } from '../../activities/logger';
import type { StepRequest, StepResponse } from '../../activities/types';

/** A pino logger (configured like the real one) whose JSON lines land in `lines`. */
export function memoryLogger(): { logger: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, lines, text: () => lines.join('') };
}

export function makeActivities(extra: Executor[] = [], options: ActivitiesOptions = {}): ReviewActivities {
  return createActivities(createRegistry(extra), { logger: memoryLogger().logger, ...options });
}

export function stepRequest(uses: string, input: Record<string, unknown>, extra: Partial<StepRequest> = {}): StepRequest {
  return {
    review: { id: 'review-1', pipeline: 'test-pipeline', priority: 'normal' },
    stepId: 'step-1',
    kind: 'step',
    uses,
    with: input,
    ...extra,
  };
}

export interface RunOptions {
  attempt?: number;
  heartbeatTimeoutMs?: number;
  /** Called with the environment once the step started, e.g. to cancel it. */
  during?: (env: MockActivityEnvironment) => void | Promise<void>;
}

export interface RunResult {
  response?: StepResponse;
  error?: unknown;
  heartbeats: unknown[];
}

/** Runs `runStep` as a real activity in a mock activity environment (real Context, heartbeats, cancellation). */
export async function runActivity(activities: ReviewActivities, request: StepRequest, options: RunOptions = {}): Promise<RunResult> {
  const info = { attempt: options.attempt ?? 1, heartbeatTimeoutMs: options.heartbeatTimeoutMs, activityType: 'runStep' };
  const env = new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const running: Promise<StepResponse> = env.run<[StepRequest], StepResponse, ReviewActivities['runStep']>(activities.runStep, request);
  const during = options.during ? Promise.resolve(options.during(env)) : Promise.resolve();
  try {
    const response = await running;
    await during;
    return { response, heartbeats };
  } catch (error) {
    await during.catch(() => undefined);
    return { error, heartbeats };
  }
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** True once the process no longer exists (a zombie left for a reaper counts as gone). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

export interface LocalServer {
  url: string;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 and a free port. */
export async function startServer(handler: Handler): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
