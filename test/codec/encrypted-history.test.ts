import { randomUUID } from 'node:crypto';
import { PipelineSchema, type PipelineInput } from '../../src/definition/schema';
import { generateKey, dataConverterFromEnv } from '../../src/codec';
import type { DataConverter } from '@temporalio/common';
import type { reviewWorkflow } from '../../workflows/review';
import { approveUpdate, statusQuery } from '../../workflows/messages';
import { uniqueTaskQueue } from '../helpers/environments';
import { recordingActivities } from '../helpers/recording-activities';
import { waitFor } from '../helpers/wait';
import { encryptedDevEnv, historyText, withEncryptedWorkers } from './encrypted-workers';

const pipeline: PipelineInput = {
  name: 'encrypted-review',
  steps: [
    { id: 'read', uses: 'echo', with: { article: '${{ input.article }}' } },
    { id: 'editor', needs: ['read'], gate: { approvers: ['ed'] } },
    { id: 'publish', uses: 'echo', needs: ['editor'], with: { text: '${{ steps.read.output.article }}' } },
  ],
};

/** Runs one review with the given data converter; returns its result and its raw history as text. */
async function runReview(dataConverter: DataConverter | undefined, markers: { input: string; comment: string }) {
  const env = await encryptedDevEnv(dataConverter);
  const prefix = uniqueTaskQueue('codec');
  try {
    return await withEncryptedWorkers(prefix, recordingActivities().activities, dataConverter, async () => {
      const handle = await env.client.workflow.start<typeof reviewWorkflow>('reviewWorkflow', {
        taskQueue: `${prefix}-normal`,
        workflowId: `${prefix}-1`,
        args: [{ definition: PipelineSchema.parse(pipeline), input: { article: markers.input }, options: { taskQueuePrefix: prefix } }],
      });
      await waitFor(async () => ((await handle.query(statusQuery)).state === 'awaiting_approval' ? true : undefined));
      await handle.executeUpdate(approveUpdate, { args: [{ step: 'editor', by: 'ed', comment: markers.comment }] });
      const result = await handle.result();
      const history = await env.rawClient.workflow.getHandle(handle.workflowId).fetchHistory();
      return { result, text: historyText(history), events: history.events?.length ?? 0 };
    });
  } finally {
    await env.close();
  }
}

const markersOf = () => ({ input: `article-body-${randomUUID()}`, comment: `editor-comment-${randomUUID()}` });

describe('encrypted payloads on the dev server', () => {
  it('keeps review input, outputs and comments out of the raw history, while the codec client reads them', async () => {
    const markers = markersOf();
    const dataConverter = dataConverterFromEnv({ REVIEW_ENCRYPTION_KEYS: `k1:${generateKey()}` });
    const { result, text, events } = await runReview(dataConverter, markers);

    expect(result.state).toBe('completed');
    expect(result.steps.find((s) => s.id === 'publish')?.output).toMatchObject({ text: markers.input });
    expect(result.decisions[0]?.comment).toBe(markers.comment);

    expect(events).toBeGreaterThan(10);
    expect(text).toContain('binary/encrypted');
    expect({ inputInHistory: text.includes(markers.input), commentInHistory: text.includes(markers.comment) }).toEqual({
      inputInHistory: false,
      commentInHistory: false,
    });
  });

  it('finds the markers in the raw history when encryption is off (the search works)', async () => {
    const markers = markersOf();
    const { result, text } = await runReview(undefined, markers);
    expect(result.state).toBe('completed');
    expect({ inputInHistory: text.includes(markers.input), commentInHistory: text.includes(markers.comment) }).toEqual({
      inputInHistory: true,
      commentInHistory: true,
    });
  });
});
