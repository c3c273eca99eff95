import { MockActivityEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { createActivities, createActivityLogger, createRegistry, type Executor } from '../../activities';
import type { StepRequest, StepResponse } from '../../activities/types';

/** The real activity logger configuration, writing into memory. */
export function capturedLogger(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const logger = createActivityLogger({ level: 'trace', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

export function request(uses: string, input: Record<string, unknown>, secret?: string[]): StepRequest {
  return {
    review: { id: 'review-secrets', pipeline: 'secrets', priority: 'normal' },
    stepId: 'step',
    kind: 'step',
    uses,
    with: input,
    ...(secret ? { secret } : {}),
  };
}

/** Runs one step through the real runStep activity; returns its response or error and every log line. */
export async function runLogged(
  req: StepRequest,
  executors: Executor[] = [],
): Promise<{ response?: StepResponse; error?: unknown; logs: string }> {
  const { logger, text } = capturedLogger();
  const activities = createActivities(createRegistry(executors), { logger });
  const env = new MockActivityEnvironment({ attempt: 1, activityType: 'runStep' });
  try {
    return { response: await env.run(activities.runStep, req), logs: text() };
  } catch (error) {
    return { error, logs: text() };
  }
}
