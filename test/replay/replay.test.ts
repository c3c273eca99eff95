import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowBundle } from '../helpers/environments';
import { builtinPipelineNames } from '../../src/pipelines';
import { CURRENT_LIFECYCLE } from '../../workflows/patches';
import { CURRENT_HISTORIES } from './replay-inputs';

const root = join(__dirname, 'histories');
const versions = readdirSync(root).sort();
const files = versions.flatMap((version) =>
  readdirSync(join(root, version))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(version, f)),
);

describe('replay of recorded reviews', () => {
  it('has a history recorded by the current workflow version for every built-in pipeline', () => {
    const current = files.filter((f) => f.startsWith(`${CURRENT_HISTORIES}/`)).map((f) => f.slice(CURRENT_HISTORIES.length + 1).replace(/\.json$/, ''));
    expect(current.sort()).toEqual(builtinPipelineNames());
  });

  it.each(files)('%s replays against the current workflow code without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(root, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});

/** The history as if a client of this release had started the review: its input announces CURRENT_LIFECYCLE. */
function announced(json: string): ReturnType<typeof historyFromJSON> {
  const raw = JSON.parse(json) as { events: { workflowExecutionStartedEventAttributes?: { input: { payloads: { data: string }[] } } }[] };
  const payload = raw.events[0]?.workflowExecutionStartedEventAttributes?.input.payloads[0];
  if (!payload) throw new Error('no start input in the history');
  const input = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as Record<string, unknown>;
  payload.data = Buffer.from(JSON.stringify({ ...input, lifecycle: CURRENT_LIFECYCLE })).toString('base64');
  return historyFromJSON(raw);
}

describe('a review announced as this version whose first workflow task an older worker ran', () => {
  const marked = files.filter((f) => !f.startsWith('v1/') && !f.startsWith(`${CURRENT_HISTORIES}/`));

  it.each(marked)('%s replays on the version its marker names', async (file) => {
    const history = announced(readFileSync(join(root, file), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, file)).resolves.toBeUndefined();
  });

  it('is refused on replay when a first-version worker ran it, which records no marker (README: upgrade workers first)', async () => {
    const history = announced(readFileSync(join(root, 'v1', 'hotfix.json'), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, 'v1/hotfix.json')).rejects.toThrow(/[Nn]ondetermin/);
  });
});
