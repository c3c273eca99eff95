import type { Client } from '@temporalio/client';

/** A Temporal client that records the workflows and schedules it would have started, for tests of what is sent. */
export function stubTemporal(): { temporal: Client; started: unknown[]; scheduled: unknown[] } {
  const started: unknown[] = [];
  const scheduled: unknown[] = [];
  const temporal = {
    options: { namespace: 'default' },
    workflow: {
      start: async (_type: string, options: unknown) => {
        started.push(options);
        return { firstExecutionRunId: 'run-1', describe: async () => Promise.reject(new Error('not needed')) };
      },
    },
    schedule: { create: async (options: unknown) => void scheduled.push(options) },
  };
  return { temporal: temporal as unknown as Client, started, scheduled };
}
