// What the CLI says when it refuses: each refusal names what is wrong and how to go on, with the README's exit code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectReviewClient, type ReviewClient } from '../../src/client';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { review } from './run-cli';

jest.setTimeout(120_000);

const prefix = uniqueTaskQueue('refusals');
const dir = mkdtempSync(join(tmpdir(), 'review-refusals-'));
const file = (name: string, pipeline: object): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(pipeline));
  return path;
};
const GATED = file('gated.json', { name: 'refusal-gated', steps: [{ id: 'first', gate: { approvers: ['alice'] } }, { id: 'second', needs: ['first'], gate: { approvers: ['alice'] } }] });
const FAILING = file('failing.json', { name: 'refusal-failing', steps: [{ id: 'boom', uses: 'fail', retry: { maxAttempts: 1 } }] });

let client: ReviewClient;
let connection: NativeConnection;
beforeAll(async () => {
  client = await connectReviewClient({ address: devServerAddress(), directory: null, taskQueuePrefix: prefix });
  connection = await NativeConnection.connect({ address: devServerAddress() });
});
afterAll(async () => {
  await client.close();
  await connection.close();
});

test('flags: durations, the --plain drawing, a pipeline file that is missing, an empty id', async () => {
  const [window, every, plain, missing, emptyId] = await Promise.all([
    review(['start', GATED, '--retry-window', 'forever']),
    review(['schedule', 'create', 'x', GATED, '--every', '0s']),
    review(['graph', GATED, '--plain']),
    review(['graph', join(dir, 'nonexist.yaml')]),
    review(['start', GATED, '--id', ' ', '--task-queue-prefix', prefix]),
  ]);
  expect(window).toMatchObject({ code: 2, stderr: expect.stringContaining("--retry-window 'forever' is not a duration longer than 0: write it like 1h or 2d") });
  expect(every).toMatchObject({ code: 2, stderr: expect.stringContaining("--every '0s' is not a duration longer than 0") });
  expect(plain.stdout).toContain('<gate>');
  expect(plain.stdout).not.toMatch(/[^\x00-\x7f]/);
  expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('file not found') });
  expect(emptyId).toMatchObject({ code: 1, stderr: expect.stringContaining('the review id is empty') });
});

test('schedules: a taken id and a cron expression Temporal refuses', async () => {
  const id = `${prefix}-schedule`;
  const created = await review(['schedule', 'create', id, GATED, '--every', '1h', '--paused', '--task-queue-prefix', prefix]);
  expect(created.code).toBe(0);
  try {
    const [again, cron] = await Promise.all([
      review(['schedule', 'create', id, GATED, '--every', '1h']),
      review(['schedule', 'create', `${id}-cron`, GATED, '--cron', 'bogus cron']),
    ]);
    expect(again).toMatchObject({ code: 4, stderr: `error: schedule '${id}' already exists: choose another id, or delete it first (review schedule delete ${id})\n` });
    expect(cron).toMatchObject({ code: 1, stderr: expect.stringContaining("Temporal refused the cron expression 'bogus cron'") });
    expect(cron.stderr).toContain("write five fields (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'");
  } finally {
    await review(['schedule', 'delete', id]);
  }
});

test('decisions and retries in the words of the CLI; a suggested command quoted for the shell', async () => {
  const recorder = recordingActivities();
  await withReviewWorkers(connection, prefix, recorder.activities, async () => {
    const gatedId = `${prefix} gated`;
    const started = await review(['start', GATED, '--id', gatedId, '--task-queue-prefix', prefix]);
    expect(started.stderr).toContain(`follow it with: review status '${gatedId}' --watch`);
    const early = await review(['approve', gatedId, '--by', 'alice', '--step', 'second']);
    expect(early).toMatchObject({ code: 4, stderr: expect.stringContaining('send it with --hold') });
    const held = await review(['approve', gatedId, '--by', 'alice', '--step', 'second', '--hold']);
    expect(held.code).toBe(0);
    await client.cancel(gatedId, 'done with it');

    const failedId = `${prefix}-failed`;
    await client.startReview(FAILING, {}, { id: failedId });
    await client.result(failedId);
    const retried = await review(['retry', failedId]);
    expect(retried).toMatchObject({ code: 4, stderr: expect.stringContaining('only a failed review waiting for a retry can be retried; this one has already finished (failed)') });
    expect(retried.stderr).toContain('--retry-window 1h');
  });
});
