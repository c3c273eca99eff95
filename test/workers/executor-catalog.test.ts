/** A worker writes its executor catalog at start-up; `review validate` and `review start` read it without a worker. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { defineExecutor } from '../../activities';
import { loadWorkerConfig } from '../../workers/config';
import { createReviewWorkers } from '../../workers/review-workers';
import { json, review } from '../cli/run-cli';
import { devReviews } from '../helpers/dev-review';
import { devServerEnv, uniqueTaskQueue, workflowBundle, type DevServerEnv } from '../helpers/environments';

const shout = defineExecutor({
  type: 'shout',
  description: 'Upper-cases a text',
  input: z.object({ text: z.string() }),
  output: z.object({ loud: z.string(), words: z.array(z.object({ word: z.string() })) }),
  async run(input) {
    return { loud: input.text.toUpperCase(), words: input.text.split(' ').map((word) => ({ word })) };
  },
});

interface ValidateJson {
  ok: boolean;
  catalog: string | null;
  issues: { path: string; message: string; hint: string }[];
  warnings?: { path: string; message: string }[];
}

let env: DevServerEnv;
let dir: string;
let catalogPath: string;
beforeAll(async () => {
  env = await devServerEnv();
  dir = mkdtempSync(join(tmpdir(), 'executor-catalog-'));
  catalogPath = join(dir, 'executors.json');
});
afterAll(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

function pipelineFile(name: string, uses: string, read: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'steps:',
      `  - { id: loud, uses: ${uses}, with: { text: hello world } }`,
      `  - { id: after, uses: echo, needs: [loud], with: { value: '\${{ steps.loud.output.${read} }}' } }`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('the executor catalog', () => {
  it('is written by a worker at start-up and read by review validate and review start', async () => {
    const prefix = uniqueTaskQueue('catalog');
    const reviews = devReviews(env.client, prefix);
    const connection = await reviews.connect();
    const workers = await createReviewWorkers({
      connection,
      config: loadWorkerConfig({ REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_EXECUTOR_CATALOG: catalogPath }),
      executors: [shout],
      logger: pino({ level: 'silent' }),
      workflowBundle: workflowBundle(),
    });
    const running = workers.run();
    try {
      const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as { version: number; executors: { type: string; description: string; input: object; output?: object }[] };
      expect(catalog.version).toBe(1);
      expect(catalog.executors.map((e) => e.type)).toEqual(expect.arrayContaining(['command', 'echo', 'http', 'shout']));
      expect(catalog.executors.find((e) => e.type === 'shout')).toMatchObject({ description: 'Upper-cases a text', input: { type: 'object' }, output: { properties: { loud: { type: 'string' } } } });
      expect(catalog.executors.find((e) => e.type === 'command')?.output).toMatchObject({ properties: { passed: { type: 'boolean' } } });

      // Read through --catalog and through REVIEW_EXECUTOR_CATALOG: the custom type and its outputs are known.
      const good = pipelineFile('good', 'shout', 'words[0].word');
      for (const [args, extraEnv] of [
        [['validate', good, '--catalog', catalogPath, '--json'], {}],
        [['validate', good, '--json'], { REVIEW_EXECUTOR_CATALOG: catalogPath }],
      ] as const) {
        const run = await review(args, extraEnv);
        expect(run.code).toBe(0);
        expect(json<ValidateJson>(run)).toMatchObject({ ok: true, catalog: catalogPath, issues: [], warnings: [] });
      }
      const misspeltOutput = await review(['validate', pipelineFile('output', 'shout', 'lowd'), '--catalog', catalogPath, '--json']);
      expect(misspeltOutput.code).toBe(1);
      expect(json<ValidateJson>(misspeltOutput).issues).toEqual([
        expect.objectContaining({ path: 'steps[1].with.value', message: "steps.loud.output.lowd: shout outputs have no 'lowd'", hint: "did you mean 'loud'?" }),
      ]);
      const misspeltType = await review(['validate', pipelineFile('typo', 'shuot', 'loud'), '--catalog', catalogPath]);
      expect(misspeltType.code).toBe(1);
      expect(misspeltType.stdout).toContain("steps[0].uses: unknown executor type 'shuot' (neither built in nor in the executor catalog) (did you mean 'shout'?");
      const teleporter = await review(['validate', pipelineFile('tele', 'teleporter', 'x'), '--json'], { REVIEW_EXECUTOR_CATALOG: catalogPath });
      expect(teleporter.code).toBe(1);
      expect(json<ValidateJson>(teleporter).issues[0]).toMatchObject({ path: 'steps[0].uses', message: "unknown executor type 'teleporter' (neither built in nor in the executor catalog)" });
      // review start refuses the same before it starts anything.
      const start = await review(['start', pipelineFile('start', 'shuot', 'loud'), '--catalog', catalogPath]);
      expect(start.code).toBe(1);
      expect(start.stderr).toContain("unknown executor type 'shuot'");
    } finally {
      workers.shutdown();
      await running;
      await connection.close();
    }
  });

  it('without a catalog, review validate warns about a type that is not built in, and --strict-executors refuses it', async () => {
    const tele = pipelineFile('tele-none', 'teleporter', 'x');
    const warned = await review(['validate', tele], { REVIEW_EXECUTOR_CATALOG: 'off' });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/⚠ 1 warning\n.*steps\[0\]\.uses: executor type 'teleporter' is not built in, and no executor catalog is known/);
    const strict = await review(['validate', tele, '--strict-executors', '--json'], { REVIEW_EXECUTOR_CATALOG: 'off' });
    expect(strict.code).toBe(1);
    expect(json<ValidateJson>(strict).issues[0]?.message).toBe("unknown executor type 'teleporter' (not built in)");
    const missing = await review(['validate', tele, '--catalog', join(dir, 'nowhere.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/executor catalog .*nowhere\.json: file not found/);
  });

  it('review start refuses missing or mistyped input with every problem listed, before connecting', async () => {
    const run = await review(['start', 'blog-review', '--input', '{"article": 3, "titel": "x"}', '--json'], { REVIEW_EXECUTOR_CATALOG: 'off', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid input for pipeline blog-review');
    const error = (JSON.parse(run.stdout) as { error: { code: string; issues: { path: string }[] } }).error;
    expect(error.code).toBe('invalid_pipeline');
    expect(error.issues.map((i) => i.path)).toEqual(['input.titel', 'input.article', 'input.title', 'input.publishUrl', 'input.notifyUrl']);
  });
});
