/** The Web UI's current details are drawn when asked for; a drawing that breaks answers with what it can. */
import { liveDetails } from '../../workflows/details';
import type { ReviewRun } from '../../workflows/review-run';

describe('the live details', () => {
  it('are drawn when converted to JSON, which is how the SDK answers the Web UI', () => {
    let drawn = 0;
    const run = {
      pipeline: { name: 'checks' },
      state: 'running',
      lifecycle: {},
      input: {},
      get book() {
        drawn += 1;
        return { doneCount: 1, size: 2, all: () => [] };
      },
    } as unknown as ReviewRun;
    const details = liveDetails(run);
    expect(drawn).toBe(0);
    const text = (JSON.parse(JSON.stringify({ currentDetails: details })) as { currentDetails: string }).currentDetails;
    expect(text).toContain('**checks** review — **running** — 1/2 steps (50%)');
    expect(text).toContain('| step | state | verdict | uses | attempts | notes |');
    expect(drawn).toBeGreaterThan(0);
  });

  it('say what broke instead of failing the query when the table cannot be drawn', () => {
    const run = { pipeline: { name: 'checks' }, state: 'running', lifecycle: {}, input: {} } as unknown as ReviewRun;
    const text = JSON.parse(JSON.stringify(liveDetails(run))) as string;
    expect(text).toMatch(/^\*\*checks\*\* review — \*\*running\*\* \(the step table could not be drawn: .+\)$/);
  });
});
