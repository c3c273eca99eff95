import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireTemporalCli } from '../../temporal-dev/servers';
import { devServerAddress, devServerEnv, type DevServerEnv } from '../helpers/environments';
import { devReviews } from '../helpers/dev-review';
import { recordingActivities } from '../helpers/recording-activities';
import { withReviewWorkers } from '../helpers/review-workers';
import { waitFor } from '../helpers/wait';
import type { ReviewStatus } from '../../workflows/types';

const run = promisify(execFile);
const temporal = (...args: string[]) =>
  run(requireTemporalCli(), [...args, '--address', devServerAddress(), '--output', 'json'], { timeout: 30_000 }).then((r) => r.stdout);

let env: DevServerEnv;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('a review seen through the temporal CLI', () => {
  it('is listed by ReviewStatus, answers the status query and obeys pause/resume/approve signals', async () => {
    const reviews = devReviews(env.client);
    const connection = await reviews.connect();
    await withReviewWorkers(connection, reviews.prefix, recordingActivities().activities, async () => {
      const handle = await reviews.start(
        {
          name: 'cli-visible',
          steps: [
            { id: 'check', uses: 'echo' },
            { id: 'editor', needs: ['check'], gate: { approvers: ['alice'] } },
          ],
        },
        { subject: 'post-42' },
      );
      const id = handle.workflowId;
      const query = `ReviewStatus = 'awaiting_approval' AND ReviewPipeline = 'cli-visible' AND WorkflowId = '${id}'`;
      const listed = await waitFor(async () => {
        const out = JSON.parse((await temporal('workflow', 'list', '--query', query)) || '[]') as { execution: { workflowId: string } }[];
        return out.length ? out : undefined;
      });
      expect(listed.map((w) => w.execution.workflowId)).toEqual([id]);

      const status = async (): Promise<ReviewStatus> => {
        const out = JSON.parse(await temporal('workflow', 'query', '--workflow-id', id, '--type', 'status')) as { queryResult: ReviewStatus[] };
        return out.queryResult[0]!;
      };
      expect((await status()).state).toBe('awaiting_approval');

      await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'pause', '--input', '{"by":"ops"}');
      await waitFor(async () => ((await status()).state === 'paused' ? true : undefined));
      await waitFor(async () => {
        const out = JSON.parse((await temporal('workflow', 'list', '--query', `ReviewStatus = 'paused' AND WorkflowId = '${id}'`)) || '[]') as unknown[];
        return out.length ? true : undefined;
      });
      await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'resume');
      await waitFor(async () => ((await status()).state === 'awaiting_approval' ? true : undefined));

      await temporal('workflow', 'signal', '--workflow-id', id, '--name', 'approve', '--input', '{"step":"editor","by":"alice","comment":"ship it"}');
      const result = await handle.result();
      expect(result.state).toBe('completed');
      expect(result.decisions[0]).toMatchObject({ by: 'alice', comment: 'ship it' });
    });
    await connection.close();
  });
});
