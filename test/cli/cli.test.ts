import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectReviewClient, type ReviewClient, type ReviewStatus } from '../../src/client';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { json, review } from './run-cli';

// Generous: these tests share one dev server and machine with the rest of the suite.
jest.setTimeout(180_000);

const FIXTURES = join(__dirname, '..', 'fixtures', 'cli');
const GATED = join(FIXTURES, 'gated.yaml');
const prefix = uniqueTaskQueue('cli');
const tmp = mkdtempSync(join(tmpdir(), 'review-cli-'));
const slowFile = join(tmp, 'slow.json');
const slowName = `cli-slow-${Date.now().toString(36)}`;
writeFileSync(
  slowFile,
  JSON.stringify({
    name: slowName,
    steps: [
      { id: 'first', uses: 'echo', with: { delayMs: 300 } },
      { id: 'wait', uses: 'hang', needs: ['first'], timeout: { heartbeat: '2s' } },
    ],
  }),
);

let client: ReviewClient;
let connection: NativeConnection;
const recorder = recordingActivities();
const withWorkers = <T>(fn: () => Promise<T>): Promise<T> => withReviewWorkers(connection, prefix, recorder.activities, fn);

async function untilState(id: string, state: ReviewStatus['state']): Promise<void> {
  await waitFor(async () => ((await client.getStatus(id)).state === state ? true : undefined), 60_000);
}

beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress() });
  connection = await NativeConnection.connect({ address: devServerAddress() });
});

afterAll(async () => {
  await client.close();
  await connection.close();
});

describe('review CLI', () => {
  test('help, validate, graph and usage errors (no server needed)', async () => {
    const [help, startHelp, good, builtin, bad, badJson, mermaid, dot, unknown, badPriority, noBy] = await Promise.all([
      review(['--help']),
      review(['start', '--help']),
      review(['validate', GATED]),
      review(['validate', 'blog-review', '--json']),
      review(['validate', join(FIXTURES, 'invalid.yaml')]),
      review(['validate', join(FIXTURES, 'invalid.yaml'), '--json']),
      review(['graph', GATED, '--format', 'mermaid']),
      review(['graph', 'pr-review', '--format', 'dot']),
      review(['frobnicate']),
      review(['start', GATED, '--priority', 'urgent']),
      review(['approve', 'some-id']),
    ]);
    expect(help.code).toBe(0);
    for (const command of ['validate', 'graph', 'start', 'status', 'approve', 'reject', 'pause', 'resume', 'cancel', 'retry', 'list', 'stats', 'schedule', 'worker', 'dev']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    expect(startHelp.code).toBe(0);
    expect(startHelp.stdout).toMatch(/--param <name=value>[\s\S]*--json/);

    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('pipeline cli-gated is valid (3 steps in 3 levels)');
    expect(json<{ ok: boolean; pipeline: string }>(builtin)).toMatchObject({ ok: true, pipeline: 'blog-review' });

    expect(bad.code).toBe(1);
    const lines = bad.stdout.trim().split('\n');
    expect(lines[0]).toContain('4 problems');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/invalid\.yaml:5 params\.level\.default: .*not a number/),
      expect.stringMatching(/invalid\.yaml:9 steps\[0\]\.needs\[0\]: dependency cycle: lint -> report -> lint/),
      expect.stringMatching(/invalid\.yaml:15 steps\[2\]\.needs\[0\]: unknown step 'reprot'.*did you mean 'report'/),
      expect.stringMatching(/invalid\.yaml:16 steps\[2\]\.timeout\.startToClose: .*not a duration/),
    ]);
    expect(badJson.code).toBe(1);
    expect(json<{ issues: unknown[] }>(badJson).issues).toHaveLength(4);

    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart TD/);
    expect(mermaid.stdout).toContain('n0 --> n1');
    expect(dot.stdout).toMatch(/^digraph "pr-review"/);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(badPriority.code).toBe(2);
    expect(badPriority.stderr).toContain('urgent');
    expect(noBy.code).toBe(2);
    expect(noBy.stderr).toContain('--by');
    for (const run of [bad, unknown, badPriority, noBy]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('start, status, graph with live states, approve, status --watch', async () => {
    const id = `${prefix}-gated`;
    const inputFile = join(tmp, 'input.json');
    writeFileSync(inputFile, JSON.stringify({ article: 'post.md' }));
    const common = ['--task-queue-prefix', prefix];
    const started = await review(['start', GATED, '--input', `@${inputFile}`, '--param', 'audience=editors', '--priority', 'high', '--id', id, '--subject', 'post.md', '--tenant', prefix, ...common]);
    expect(started).toMatchObject({ code: 0, stdout: `${id}\n` });
    const [again, badParam, missing, notFound] = await Promise.all([
      review(['start', GATED, '--id', id, '--json', ...common]),
      review(['start', GATED, '--param', 'colour=blue', ...common]),
      review(['start', 'no-such-pipeline']),
      review(['status', 'no-such-review']),
    ]);
    expect(json(again)).toEqual({ reviewId: id, runId: expect.any(String), existing: true });
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toContain("unknown param 'colour'");
    expect(missing.code).toBe(1);
    expect(notFound.code).toBe(3);
    expect(notFound.stderr).toBe("error: no review with id 'no-such-review'\n");

    await withWorkers(async () => {
      await untilState(id, 'awaiting_approval');
      const [status, human, graph, notAllowed] = await Promise.all([
        review(['status', id, '--json']),
        review(['status', id]),
        review(['graph', id, '--format', 'mermaid']),
        review(['approve', id, '--by', 'mallory']),
      ]);
      const parsed = json<ReviewStatus>(status);
      expect(parsed).toMatchObject({ reviewId: id, state: 'awaiting_approval', priority: 'high', subject: 'post.md', pipeline: 'cli-gated' });
      expect(parsed.steps.map((s) => [s.id, s.state, s.attempts])).toEqual([
        ['check', 'succeeded', 1],
        ['approval', 'awaiting_approval', 0],
        ['publish', 'pending', 0],
      ]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/review .* awaiting_approval/);
      expect(human.stdout).toMatch(/1\/3 steps/);
      expect(human.stdout).toMatch(/check\s+succeeded\s+neutral\s+1\s+\d{4}-/);
      expect(human.stdout).toContain('waiting for alice or role:editor');
      expect(graph.stdout).toContain(':::awaiting_approval');
      expect(graph.stdout).toContain(':::succeeded');
      expect(notAllowed.code).toBe(4);
      expect(notAllowed.stderr).toContain('mallory may not decide gate approval');

      const approved = await review(['approve', id, '--by', 'bob', '--role', 'editor', '--comment', 'fine', '--json']);
      expect(approved.code).toBe(0);
      expect(json(approved)).toMatchObject({ outcome: 'approved', approvals: [{ by: 'bob', comment: 'fine' }] });
      const watched = await review(['status', id, '--watch', '--interval', '200']);
      expect(watched.code).toBe(0);
      expect(watched.stdout).toMatch(/100%\s+3\/3 steps/);
      const late = await review(['reject', id, '--by', 'alice']);
      expect(late.code).toBe(4);
    });
  });

  test('pause, resume, cancel, retry', async () => {
    const id = `${prefix}-slow`;
    await review(['start', slowFile, '--id', id, '--task-queue-prefix', prefix]);
    await withWorkers(async () => {
      await untilState(id, 'running');
      const paused = await review(['pause', id, '--by', 'ops', '--reason', 'maintenance']);
      expect(paused).toMatchObject({ code: 0, stdout: `paused ${id}\n` });
      await untilState(id, 'paused');
      const resumed = await review(['resume', id]);
      expect(resumed.code).toBe(0);
      await untilState(id, 'running');
      const retry = await review(['retry', id]);
      expect(retry.code).toBe(4);
      expect(retry.stderr).toContain('only a failed review waiting for a retry can be retried');
      const cancelled = await review(['cancel', id, '--reason', 'not needed', '--json']);
      expect(json(cancelled)).toEqual({ reviewId: id, cancelRequested: true });
      expect((await client.result(id)).outcome).toBe('cancelled');
      const [again, pauseClosed] = await Promise.all([review(['cancel', id]), review(['pause', id])]);
      expect(again.code).toBe(4);
      expect(again.stderr).toContain('has already finished');
      expect(pauseClosed.code).toBe(4);
    });
  });

  test('list and stats', async () => {
    await waitFor(async () => ((await client.count({ tenant: prefix, status: 'completed' })) >= 1 ? true : undefined), 60_000);
    await waitFor(async () => ((await client.count({ pipeline: slowName, status: 'cancelled' })) >= 1 ? true : undefined), 60_000);
    const [listed, human, filtered, stats, statsHuman] = await Promise.all([
      review(['list', '--pipeline', 'cli-gated', '--tenant', prefix, '--json']),
      review(['list', '--pipeline', slowName]),
      review(['list', '--pipeline', slowName, '--status', 'completed', '--json']),
      review(['stats', '--pipeline', 'cli-gated', '--tenant', prefix, '--json']),
      review(['stats']),
    ]);
    expect(json<{ reviewId: string; state: string }[]>(listed)).toEqual([expect.objectContaining({ reviewId: `${prefix}-gated`, state: 'completed', priority: 'high' })]);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+STATE\\s+PIPELINE[\\s\\S]*${prefix}-slow\\s+cancelled\\s+${slowName}`));
    expect(json(filtered)).toEqual([]);
    const parsed = json<{ total: number; byStatus: Record<string, number>; successRate: number; steps: { step: string; count: number; p50Ms: number; p95Ms: number }[] }>(stats);
    expect(parsed).toMatchObject({ total: 1, successRate: 1, byStatus: { completed: 1, failed: 0 } });
    expect(parsed.steps.map((s) => s.step).sort()).toEqual(['check', 'publish']);
    expect(parsed.steps[0]?.p95Ms).toBeGreaterThanOrEqual(parsed.steps[0]?.p50Ms ?? 0);
    expect(statsHuman.code).toBe(0);
    expect(statsHuman.stdout).toMatch(/reviews: \d+ \(.*completed \d+/);
    expect(statsHuman.stdout).toMatch(/success rate [\d.]+%/);

    // More reviews open than the sample reads, all newer than the finished one: the step figures still come from it.
    const busy = [1, 2, 3].map((i) => `${prefix}-busy-${i}`);
    for (const id of busy) await client.startReview(GATED, { article: 'x.md' }, { id, tenant: prefix, taskQueuePrefix: prefix, params: { audience: 'editors' } });
    try {
      await waitFor(async () => ((await client.list({ tenant: prefix, pipeline: 'cli-gated', open: true })).length === 3 ? true : undefined), 60_000);
      const sampled = json<{ sampled: number; steps: { step: string }[] }>(await review(['stats', '--pipeline', 'cli-gated', '--tenant', prefix, '--sample', '1', '--json']));
      expect(sampled.sampled).toBe(1);
      expect(sampled.steps.map((s) => s.step).sort()).toEqual(['check', 'publish']);
    } finally {
      for (const id of busy) await client.temporal.workflow.getHandle(id).terminate('test done').catch(() => undefined);
    }
  });

  test('schedule create, list, delete', async () => {
    const id = `${prefix}-nightly`;
    const [created, neither] = await Promise.all([
      review(['schedule', 'create', id, GATED, '--cron', '0 3 * * *', '--paused', '--note', 'nightly check', '--task-queue-prefix', prefix]),
      review(['schedule', 'create', `${id}-x`, GATED]),
    ]);
    expect(created).toMatchObject({ code: 0, stdout: `created schedule ${id}\n` });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--cron');
    await waitFor(async () => ((await client.listSchedules()).some((s) => s.scheduleId === id) ? true : undefined), 60_000);
    const [listed, human, duplicate] = await Promise.all([
      review(['schedule', 'list', '--json']),
      review(['schedule', 'list']),
      review(['schedule', 'create', id, GATED, '--every', '1h']),
    ]);
    expect(json<{ scheduleId: string }[]>(listed)).toContainEqual(expect.objectContaining({ scheduleId: id, pipeline: 'cli-gated', cron: ['0 3 * * *'], paused: true }));
    expect(human.stdout).toMatch(new RegExp(`${id}\\s+cli-gated\\s+cron 0 3 \\* \\* \\*\\s+paused`));
    expect(duplicate.code).toBe(4);
    const deleted = await review(['schedule', 'delete', id]);
    expect(deleted.code).toBe(0);
    const gone = await review(['schedule', 'delete', id]);
    expect(gone.code).toBe(3);
  });
});
