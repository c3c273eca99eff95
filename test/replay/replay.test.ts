import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowBundle } from '../helpers/environments';
import { builtinPipelineNames } from '../../src/pipelines';
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
