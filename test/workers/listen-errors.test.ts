/** A worker whose health or metrics port is taken stops at once, naming the setting and what to do. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { devServerAddress } from '../helpers/environments';
import { freePort } from '../helpers/global-setup';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');

function runWorker(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'workers', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: devServerAddress(), REVIEW_WORKFLOW_BUNDLE: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

let taken: Server;
let takenAddress: string;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenAddress = `127.0.0.1:${(taken.address() as AddressInfo).port}`;
});
afterAll(() => {
  taken.close();
});

it('health port taken: stops before building the workflow bundle', async () => {
  const run = await runWorker({ REVIEW_HEALTH_ADDRESS: takenAddress, REVIEW_METRICS_ADDRESS: 'off' });
  expect(run.code).toBe(1);
  expect(run.output).toContain(`cannot listen on ${takenAddress} (REVIEW_HEALTH_ADDRESS): another program is using port ${takenAddress.split(':')[1]}; give REVIEW_HEALTH_ADDRESS a free port`);
  expect(run.output).not.toMatch(/\n\s+at /);
  expect(run.output).not.toMatch(/bundle/i);
});

it('metrics port taken: names REVIEW_METRICS_ADDRESS and how to turn metrics off', async () => {
  const run = await runWorker({ REVIEW_METRICS_ADDRESS: takenAddress, REVIEW_HEALTH_ADDRESS: `127.0.0.1:${await freePort()}` });
  expect(run.code).toBe(1);
  expect(run.output).toContain(`cannot serve metrics on ${takenAddress} (REVIEW_METRICS_ADDRESS): another program is using its port; give REVIEW_METRICS_ADDRESS a free port`);
  expect(run.output).toContain('REVIEW_METRICS_ADDRESS=off');
});
