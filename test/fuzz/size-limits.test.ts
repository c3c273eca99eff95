/**
 * What reaches Temporal's history unbounded today. These tests pin the current behaviour so that a size
 * limit, once added, shows up here: each says what is missing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { reviewTest, reviewTestEnv } from '../helpers/review-harness';
import { statusQuery } from '../../workflows/messages';
import { validatePipeline } from '../../src/definition/validate';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await reviewTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const MB = 1024 * 1024;

/** Bytes of payload data in the history (the test server does not report historySize). */
async function historyBytes(handle: { fetchHistory(): Promise<unknown> }): Promise<number> {
  let total = 0;
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string' && key === 'data') total += Buffer.from(value, 'base64').length;
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(JSON.parse(JSON.stringify(await handle.fetchHistory())) as unknown, '');
  return total;
}

describe('size limits (current behaviour)', () => {
  it('a pipeline definition may carry megabytes in with: and names (no size limit in validatePipeline)', () => {
    const result = validatePipeline({ name: 'big', steps: [{ id: 'a', name: 'n'.repeat(MB), uses: 'echo', with: { text: 'x'.repeat(MB) } }] });
    expect(result.ok).toBe(true);
  });

  it('ignored signals still land in history: 2 malformed 1 MB signals add more than 2 MB', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start({ name: 'signals', steps: [{ id: 'gate', gate: { approvers: ['ed'] } }] });
      for (let i = 0; i < 50 && (await handle.query(statusQuery)).state !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 50));
      const before = await historyBytes(handle);
      for (let i = 0; i < 2; i++) await handle.signal('approve', { by: 'ed', comment: 'x'.repeat(MB) });
      const status = await handle.query(statusQuery);
      expect(status.decisions).toEqual([]);
      expect((await historyBytes(handle)) - before).toBeGreaterThan(2 * MB);
      await handle.terminate('done');
    });
  }, 60_000);

  it('review input is copied unbounded into every step that interpolates it (0.5 MB input, more than 1.5 MB of history)', async () => {
    const t = reviewTest(env);
    await t.run(async () => {
      const handle = await t.start(
        { name: 'input', steps: [{ id: 'a', uses: 'echo', with: { text: '${{ input.doc }}' } }] },
        { input: { doc: 'x'.repeat(MB / 2) } },
      );
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(await historyBytes(handle)).toBeGreaterThan(1.5 * MB);
    });
  }, 60_000);
});
