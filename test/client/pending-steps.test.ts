// The status a client shows is the workflow's own, brought up to date with the server's pending activities.
import { overlayPending } from '../../src/client/pending-steps';
import { renderStatus } from '../../src/cli/render/status';
import type { ReviewStatus, StepStatus } from '../../workflows/types';

const step = (id: string, state: StepStatus['state'], attempts = 1): StepStatus => ({ id, uses: 'echo', kind: 'task', needs: [], priority: 'normal', state, attempts });
const status = (steps: StepStatus[]): ReviewStatus =>
  ({
    reviewId: 'r1',
    pipeline: 'p',
    priority: 'normal',
    state: 'running',
    phase: 'running',
    progress: { done: 0, total: steps.length, percent: 0 },
    startedAt: '2024-01-01T00:00:00.000Z',
    steps,
    decisions: [],
    transitions: [],
    continuedAsNew: 0,
  }) as unknown as ReviewStatus;

describe('overlayPending', () => {
  test('a step no worker has taken yet is marked so, and the CLI says it', () => {
    const live = overlayPending(status([step('queued', 'running'), step('started', 'running'), step('again', 'running')]), [
      { step: 'queued', activityId: '1', attempt: 1, state: 'scheduled' },
      { step: 'started', activityId: '2', attempt: 1, state: 'started' },
      { step: 'again', activityId: '3', attempt: 2, state: 'scheduled', lastFailure: 'exit 1' },
    ]);
    expect(live.steps.map((s) => [s.id, s.state, s.waitingForWorker, s.error])).toEqual([
      ['queued', 'running', true, undefined],
      ['started', 'running', undefined, undefined],
      ['again', 'retrying', undefined, 'exit 1'],
    ]);
    expect(renderStatus(live)).toMatch(/queued\s+running\s.*sent to its task queue; no worker has taken it yet/);
  });
});
