import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { workflowBundle } from '../helpers/environments';
import { builtinPipelineNames } from '../../src/pipelines';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded reviews', () => {
  it('has a recorded history for every built-in pipeline', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(builtinPipelineNames());
  });

  it.each(files)('%s replays against the current workflow code without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});
