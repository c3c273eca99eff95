/**
 * Roles come from the directory, never from the caller: through the client library and the `review` CLI,
 * claimed roles the directory does not give are refused before anything reaches the review; roles left
 * out are filled in from the directory. Without a directory (the trusting mode) claimed roles stand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { connectReviewClient, NotAllowedError, type ReviewClient, type ReviewStatus } from '../../src/client';
import type { PipelineInput } from '../../src/definition/schema';
import { devServerAddress, uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import { review } from '../cli/run-cli';

jest.setTimeout(180_000);

const prefix = uniqueTaskQueue('roles');
const gated: PipelineInput = {
  name: 'roles-gated',
  steps: [
    { id: 'check', uses: 'echo' },
    { id: 'approval', needs: ['check'], gate: { approvers: ['role:maintainer'] } },
  ],
};
const recorder = recordingActivities();
let dir: string;
let file: string;
let client: ReviewClient;
let trusting: ReviewClient;
let connection: NativeConnection;
let counter = 0;
const nextId = (): string => `${prefix}-r${++counter}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roles-'));
  file = join(dir, 'people.yaml');
  writeFileSync(file, 'roles:\n  maintainer:\n    teams: [acme/core]\n  editor:\n    users: [bob]\nteams:\n  acme/core: [alice]\n');
  client = await connectReviewClient({ address: devServerAddress(), taskQueuePrefix: prefix, env: { ...process.env, REVIEW_DIRECTORY_FILE: file } });
  trusting = await connectReviewClient({ address: devServerAddress(), taskQueuePrefix: prefix, directory: null });
  connection = await NativeConnection.connect({ address: devServerAddress() });
});

afterAll(async () => {
  await client.close();
  await trusting.close();
  await connection.close();
  rmSync(dir, { recursive: true, force: true });
});

async function atGate(id: string): Promise<ReviewStatus> {
  return waitFor(async () => {
    const status = await client.getStatus(id);
    return status.state === 'awaiting_approval' ? status : undefined;
  }, 60_000);
}

test('claimed roles the directory does not give are refused; omitted roles come from the directory', async () => {
  await withReviewWorkers(connection, prefix, recorder.activities, async () => {
    const id = nextId();
    await client.startReview(gated, {}, { id });
    await atGate(id);
    const mallory = await client.approve(id, { by: 'mallory', roles: ['maintainer'] }).catch((e: unknown) => e);
    expect(mallory).toBeInstanceOf(NotAllowedError);
    expect((mallory as Error).message).toBe(
      `review '${id}': mallory claims role maintainer, but the directory (${file}) gives mallory no role; ` +
        'decide without claiming roles (they are taken from the directory), or add mallory to that role in the directory',
    );
    await expect(client.reject(id, { by: 'bob', roles: ['editor', 'maintainer'] })).rejects.toThrow(/bob claims role maintainer, but the directory .* gives bob only: editor/);
    // nothing reached the review
    expect((await client.getStatus(id)).steps.find((s) => s.id === 'approval')?.gate).toMatchObject({ approvals: [], rejections: [] });
    // the CLI goes through the same client: exit 4, one line saying what the directory gives
    const cli = await review(['approve', id, '--by', 'bob', '--role', 'maintainer'], { REVIEW_DIRECTORY_FILE: file });
    expect(cli.code).toBe(4);
    expect(cli.stderr).toMatch(/bob claims role maintainer, but the directory .* gives bob only: editor/);
    const badFile = join(dir, 'bad.yaml');
    writeFileSync(badFile, 'roles:\n  maintainer:\n    user: [bob]\n');
    const broken = await review(['approve', id, '--by', 'bob'], { REVIEW_DIRECTORY_FILE: badFile });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/invalid directory .*bad\.yaml/);
    // the trusting mode takes the claim as given (but the review's approvers still decide)
    await expect(trusting.approve(id, { by: 'carol' })).rejects.toBeInstanceOf(NotAllowedError);
    // alice is a maintainer through acme/core: no roles given, the directory's are used (the gate admits role:maintainer only)
    const gate = await client.approve(id, { by: 'alice', comment: 'ok' });
    expect(gate).toMatchObject({ outcome: 'approved', approvals: [{ by: 'alice', comment: 'ok' }] });
    expect(await client.result(id)).toMatchObject({ outcome: 'completed' });

    const trusted = nextId();
    await trusting.startReview(gated, {}, { id: trusted });
    await atGate(trusted);
    expect(await trusting.approve(trusted, { by: 'mallory', roles: ['maintainer'] })).toMatchObject({ outcome: 'approved' });
  });
});
