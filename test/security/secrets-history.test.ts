/**
 * A review that uses `${{ secrets.NAME }}` leaves no trace of the value in the workflow history (raw and
 * with every payload decoded), the status query, the result, the step outputs or the worker's logs,
 * while the step really received it. On the dev server, with the real step activity.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities, createRegistry } from '../../activities';
import { envSecretResolver } from '../../activities/secrets';
import { devServerTestEnv } from '../helpers/environments';
import { reviewTest } from '../helpers/review-harness';
import { withReviewWorkers } from '../helpers/review-workers';
import { statusQuery } from '../../workflows/messages';
import { capturedLogger } from './log-capture';

const VALUE = 'sk_e2e_5b7d9f1a3c6e8042';

let env: TestWorkflowEnvironment;
let server: Server;
let url = '';
const received: string[] = [];
beforeAll(async () => {
  env = await devServerTestEnv();
  server = createServer((req, res) => {
    received.push(String(req.headers.authorization));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ echoed: req.headers.authorization }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await env?.teardown();
});

/** Every payload's bytes, decoded, so a value inside base64 is found too. */
function decodedPayloads(history: unknown): string {
  const out: string[] = [];
  JSON.stringify(history, (key, value: unknown) => {
    if (key === 'data' && typeof value === 'string') out.push(Buffer.from(value, 'base64').toString('utf8'));
    if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
    return value;
  });
  return out.join('\n');
}

it('no trace of a secret in history, status, result, outputs or logs', async () => {
  const t = reviewTest(env);
  const { logger, text } = capturedLogger();
  const activities = createActivities(createRegistry(), { logger, secrets: envSecretResolver({ REVIEW_SECRET_HOOK_TOKEN: VALUE }) });
  const { result, status, history } = await withReviewWorkers(env.nativeConnection, t.prefix, activities, async () => {
    const handle = await t.start({
      name: 'secret-use',
      steps: [
        { id: 'call', uses: 'http', with: { method: 'POST', url, headers: { authorization: "${{ format('Bearer {0}', secrets.hook_token) }}" }, json: { ok: true } } },
        { id: 'print', uses: 'command', needs: ['call'], with: { command: process.execPath, args: ['-e', 'console.log("token=" + process.argv[1])', '${{ secrets.HOOK_TOKEN }}'] } },
      ],
    });
    const done = await handle.result();
    return { result: done, status: await handle.query(statusQuery), history: await handle.fetchHistory() };
  });
  expect(result.state).toBe('completed');
  expect(received).toEqual([`Bearer ${VALUE}`]);
  const print = result.steps.find((s) => s.id === 'print');
  expect(JSON.stringify(print?.output)).toContain('token=[redacted]');
  const places: Record<string, string> = {
    'raw history': JSON.stringify(history),
    'decoded history payloads': decodedPayloads(history),
    'status query': JSON.stringify(status),
    result: JSON.stringify(result),
    'worker logs': text(),
  };
  const leaks = Object.entries(places).filter(([, where]) => where.includes(VALUE) || where.includes(Buffer.from(VALUE).toString('base64')));
  expect(leaks.map(([name]) => name)).toEqual([]);
  expect(places['decoded history payloads']).toContain('secret:HOOK_TOKEN');
});
