import { z } from 'zod';
import { builtinExecutors, createRegistry, defineExecutor, ExecutorRegistry } from '../../activities';
import { makeActivities, runActivity, stepRequest } from './helpers';

const greet = defineExecutor({
  type: 'greet',
  description: 'Greets someone',
  input: z.object({ name: z.string().min(1), excited: z.boolean().default(false) }),
  output: z.object({ greeting: z.string(), by: z.string() }),
  async run(input, ctx) {
    ctx.heartbeat({ greeting: input.name });
    return { greeting: `Hello, ${input.name}${input.excited ? '!' : '.'}`, by: `${ctx.review.id}/${ctx.stepId}#${ctx.attempt}` };
  },
  summarize: (output) => output.greeting,
});

describe('executor registry', () => {
  test('starts with every built-in executor', () => {
    const registry = createRegistry();
    expect(registry.types()).toEqual(
      ['checkout', 'command', 'echo', 'fail', 'github', 'http', 'links', 'markdown-lint', 'notify', 'readability', 'report', 'seo', 'spelling'].sort(),
    );
    expect(builtinExecutors).toHaveLength(13);
    expect(registry.has('command')).toBe(true);
    expect(registry.get('missing')).toBeUndefined();
  });

  test('refuses a second executor of the same type with a clear message', () => {
    const registry = createRegistry([greet]);
    expect(() => registry.register(greet)).toThrow(/executor of type "greet" is already registered/);
    expect(() => createRegistry([builtinExecutors[0]!])).toThrow(/"command" is already registered/);
  });

  test('refuses malformed type names', () => {
    expect(() => defineExecutor({ type: 'Bad Name', description: '', input: z.object({}), run: async () => 1 })).toThrow(/not valid/);
  });

  test('describes each executor with a JSON Schema of its input', () => {
    const described = new ExecutorRegistry([greet]).describe();
    expect(described).toEqual([
      expect.objectContaining({ type: 'greet', description: 'Greets someone', input: expect.objectContaining({ type: 'object' }) }),
    ]);
    expect(createRegistry().describe().map((d) => d.type)).toContain('spelling');
  });

  test('a custom executor registered with createRegistry runs through runStep', async () => {
    const { response, heartbeats } = await runActivity(makeActivities([greet]), stepRequest('greet', { name: 'Ada', excited: true }), { attempt: 2 });
    expect(response).toEqual({ output: { greeting: 'Hello, Ada!', by: 'review-1/step-1#2' }, summary: 'Hello, Ada!' });
    expect(heartbeats).toContainEqual({ greeting: 'Ada' });
  });
});
