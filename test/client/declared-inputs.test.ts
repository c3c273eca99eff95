/** Input a pipeline declares is checked by the client before anything reaches Temporal. */
import { InvalidPipelineError, ReviewClient } from '../../src/client';
import { stubTemporal } from '../helpers/stub-temporal';

const pipeline = {
  name: 'declared',
  inputs: {
    repo: { type: 'string', required: true, description: 'owner/name' },
    number: { type: 'number', required: true },
    draft: { type: 'boolean', default: false },
  },
  steps: [{ id: 'hello', uses: 'echo', with: { text: '${{ input.repo }}#${{ input.number }}' } }],
} as const;

describe('startReview with declared inputs', () => {
  it('refuses missing and mistyped input before anything starts, listing every problem', async () => {
    const { temporal, started } = stubTemporal();
    const client = new ReviewClient(temporal, { executorCatalog: null });
    const error = await client.startReview(structuredClone(pipeline) as never, { number: '7', extra: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPipelineError);
    const issues = (error as InvalidPipelineError).issues;
    expect(issues.map((i) => i.path)).toEqual(['input.extra', 'input.repo', 'input.number']);
    expect(issues.every((i) => i.message !== '' && i.hint !== '')).toBe(true);
    expect((error as Error).message).toMatch(/^invalid input for pipeline declared:\n/);
    expect(started).toEqual([]);
  });

  it('starts the review with the defaults applied', async () => {
    const { temporal, started } = stubTemporal();
    const client = new ReviewClient(temporal, { executorCatalog: null });
    await client.startReview(structuredClone(pipeline) as never, { repo: 'acme/app', number: 7 }, { id: 'r-1' });
    expect(started).toHaveLength(1);
    expect((started[0] as { args: [{ input: unknown }] }).args[0].input).toEqual({ repo: 'acme/app', number: 7, draft: false });
  });

  it('refuses a built-in pipeline started without what it declares, and schedules too', async () => {
    const { temporal, started, scheduled } = stubTemporal();
    const client = new ReviewClient(temporal, { executorCatalog: null });
    const error = await client.startReview('blog-review', { article: 'post.md' }).catch((e: unknown) => e);
    expect((error as InvalidPipelineError).issues.map((i) => i.path)).toEqual(['input.title', 'input.publishUrl', 'input.notifyUrl']);
    const scheduleError = await client.createSchedule({ id: 'nightly', pipeline: 'hotfix', every: '1d', input: { checkout: 3 } }).catch((e: unknown) => e);
    expect(scheduleError).toBeInstanceOf(InvalidPipelineError);
    expect((scheduleError as InvalidPipelineError).issues[0]).toMatchObject({ path: 'input.checkout', message: expect.stringContaining("input 'checkout' must be a string, got a number 3") });
    expect(started).toEqual([]);
    expect(scheduled).toEqual([]);
  });

  it('checks uses: against the executor catalog it is given', async () => {
    const { temporal, started } = stubTemporal();
    const catalog = { version: 1 as const, executors: [{ type: 'shout', output: { type: 'object', properties: { loud: { type: 'string' } }, additionalProperties: false } }] };
    const client = new ReviewClient(temporal, { executorCatalog: catalog });
    const run = (uses: string, read = 'loud') =>
      client.startReview({ name: 'c', steps: [{ id: 's', uses, with: {} }, { id: 't', uses: 'echo', needs: ['s'], with: { v: `\${{ steps.s.output.${read} }}` } }] }, {}).catch((e: unknown) => e);
    expect(((await run('shuot')) as InvalidPipelineError).issues[0]).toMatchObject({ path: 'steps[0].uses', hint: expect.stringContaining("did you mean 'shout'?") });
    expect(((await run('shout', 'lowd')) as InvalidPipelineError).issues[0]).toMatchObject({ message: "steps.s.output.lowd: shout outputs have no 'lowd'", hint: "did you mean 'loud'?" });
    expect(started).toEqual([]);
    await run('shout');
    expect(started).toHaveLength(1);
    // Without a catalog an unknown type is accepted, unless strictExecutors.
    const strict = new ReviewClient(temporal, { executorCatalog: null, strictExecutors: true });
    const refused = await strict.startReview({ name: 'c', steps: [{ id: 's', uses: 'teleporter' }] }, {}).catch((e: unknown) => e);
    expect((refused as InvalidPipelineError).issues[0]?.message).toBe("unknown executor type 'teleporter' (not built in)");
  });
});
