/** The property driver's own judgement of the test server's faults (properties/stuck.ts). */
import type { ChainRun } from './properties/chain';
import { droppedTask } from './properties/stuck';

const run = (...types: string[]): ChainRun => ({
  runId: 'r',
  events: types.map((t, i) => ({ eventId: String(i + 1), eventType: `EVENT_TYPE_${t}` })),
});

describe('droppedTask', () => {
  it('finds a workflow task the server never ended before scheduling the next (a refused completion)', () => {
    const history = run('WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED');
    expect(droppedTask([history])).toBe('2');
  });

  it('accepts tasks that completed, failed or timed out before the next', () => {
    const history = run(
      'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_SCHEDULED',
      'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED',
      'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_TIMED_OUT',
      'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED',
    );
    expect(droppedTask([history])).toBeUndefined();
  });
});
