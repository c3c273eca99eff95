import { resolve } from 'node:path';
import { makeActivities, runActivity, stepRequest } from './helpers';

const activities = makeActivities();
const checkout = resolve(__dirname, '../../activities/samples/sample-change');

describe('the sample change for pr-review', () => {
  test.each(['lint', 'typecheck', 'test', 'audit'])('script "%s" runs with plain node and passes', async (script) => {
    const { response, error } = await runActivity(
      activities,
      stepRequest('command', { command: 'npm', args: ['run', '--silent', script], cwd: checkout, timeout: '60s' }),
    );
    expect(error).toBeUndefined();
    expect(response?.output).toMatchObject({ exitCode: 0, passed: true });
  });
});
