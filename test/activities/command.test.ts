import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { makeActivities, processGone, runActivity, stepRequest, waitFor } from './helpers';

const activities = makeActivities();
const node = process.execPath;

/** A node script that starts a grandchild `sleep`, writes both pids to `file`, then waits. */
function treeScript(file: string): string {
  return `
    const { spawn } = require('node:child_process');
    const { writeFileSync } = require('node:fs');
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(${JSON.stringify(file)}, JSON.stringify({ parent: process.pid, child: child.pid }));
    setInterval(() => process.stdout.write('tick\\n'), 100);
  `;
}

function readPids(file: string): { parent: number; child: number } | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { parent: number; child: number }) : undefined;
}

describe('command executor', () => {
  test('runs a program without a shell and returns the exit code and output tails', async () => {
    const { response } = await runActivity(
      activities,
      stepRequest('command', {
        command: node,
        args: ['-e', 'console.log("hello $HOME;"); console.error("warn line"); process.exit(0)'],
      }),
    );
    const output = response?.output as Record<string, unknown>;
    expect(output).toMatchObject({ exitCode: 0, passed: true, stdoutTail: 'hello $HOME;', stderrTail: 'warn line' });
    expect(output.durationMs).toEqual(expect.any(Number));
    expect(response?.summary).toMatch(/^exit 0 in/);
  });

  test('uses a shell only when asked', async () => {
    const { response } = await runActivity(activities, stepRequest('command', { command: 'echo $((1+2)) | tr 3 x', shell: true }));
    expect((response?.output as { stdoutTail: string }).stdoutTail).toBe('x');
  });

  test('passes cwd, env and stdin, and only the listed worker variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmd-'));
    process.env.REVIEW_TEST_HIDDEN = 'hidden';
    const { response } = await runActivity(
      activities,
      stepRequest('command', {
        command: node,
        args: ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(process.cwd(), process.env.GREETING, process.env.REVIEW_TEST_HIDDEN, s))'],
        cwd: dir,
        env: { GREETING: 'hi' },
        stdin: 'from-stdin',
      }),
    );
    expect((response?.output as { stdoutTail: string }).stdoutTail).toBe(`${dir} hi undefined from-stdin`);
    delete process.env.REVIEW_TEST_HIDDEN;
  });

  test('keeps a bounded tail of long output', async () => {
    const { response } = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', 'for (let i = 1; i <= 1000; i++) console.log("line " + i)'], tailLines: 10 }),
    );
    const output = response?.output as { stdoutTail: string; stdoutLines: number };
    expect(output.stdoutLines).toBe(1000);
    expect(output.stdoutTail.split('\n')).toEqual(['[… 990 earlier lines omitted]', ...Array.from({ length: 10 }, (_, i) => `line ${991 + i}`)]);
  });

  test('a failing exit code is a retryable failure carrying the output', async () => {
    const { error } = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', 'console.error("3 tests failed"); process.exit(2)'] }),
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe('CommandFailed');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('exited with code 2');
    expect(failure.message).toContain('3 tests failed');
    expect(failure.details?.[0]).toMatchObject({ exitCode: 2, stderrTail: '3 tests failed' });
  });

  test('exit codes listed as non-retryable fail for good; okExitCodes succeed', async () => {
    const failing = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', 'process.exit(3)'], nonRetryableExitCodes: [3] }),
    );
    expect((failing.error as ApplicationFailure).nonRetryable).toBe(true);
    const accepted = await runActivity(activities, stepRequest('command', { command: node, args: ['-e', 'process.exit(1)'], okExitCodes: [0, 1] }));
    expect(accepted.response?.output).toMatchObject({ exitCode: 1, passed: false });
  });

  test('a missing program or directory is non-retryable', async () => {
    const missing = await runActivity(activities, stepRequest('command', { command: 'definitely-not-a-program-xyz' }));
    expect(missing.error).toMatchObject({ type: 'CommandSpawnFailed', nonRetryable: true });
    const noDir = await runActivity(activities, stepRequest('command', { command: node, args: ['-v'], cwd: '/nonexistent/dir' }));
    expect(noDir.error).toMatchObject({ type: 'CommandSpawnFailed', nonRetryable: true });
  });

  test('a timeout kills the whole process tree and is retryable', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmd-')), 'pids.json');
    const started = Date.now();
    const { error } = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', treeScript(file)], timeout: '1s', killGraceMs: 500 }),
    );
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(error).toMatchObject({ type: 'CommandTimeout', nonRetryable: false });
    expect((error as ApplicationFailure).details?.[0]).toMatchObject({ stdoutTail: expect.stringContaining('tick') });
    const pids = readPids(file);
    expect(pids).toBeDefined();
    await waitFor(() => processGone(pids!.parent) && processGone(pids!.child), 5_000);
  });

  test('cancellation kills the whole process tree and reports the activity cancelled', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmd-')), 'pids.json');
    let pids: { parent: number; child: number } | undefined;
    const { error } = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', treeScript(file)], killGraceMs: 500 }),
      {
        during: async (env) => {
          pids = await waitFor(() => readPids(file));
          env.cancel();
        },
      },
    );
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(pids).toBeDefined();
    await waitFor(() => processGone(pids!.parent) && processGone(pids!.child), 5_000);
  });

  test('a process ignoring SIGTERM is killed after the grace time', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmd-')), 'pids.json');
    const script = `process.on('SIGTERM', () => {}); ${treeScript(file)}`;
    const { error } = await runActivity(
      activities,
      stepRequest('command', { command: node, args: ['-e', script], timeout: 800, killGraceMs: 300 }),
    );
    expect(error).toMatchObject({ type: 'CommandTimeout' });
    const pids = readPids(file)!;
    await waitFor(() => processGone(pids.parent) && processGone(pids.child), 5_000);
  });

  test('heartbeats while it runs with bytes and lines so far', async () => {
    const { response, heartbeats } = await runActivity(
      activities,
      stepRequest('command', {
        command: node,
        args: ['-e', 'let i = 0; const t = setInterval(() => { console.log("line " + ++i); if (i === 8) clearInterval(t); }, 50)'],
        heartbeatMs: 100,
      }),
    );
    expect(response?.output).toMatchObject({ exitCode: 0, stdoutLines: 8 });
    expect(heartbeats.length).toBeGreaterThanOrEqual(3);
    const progress = heartbeats.filter((h): h is Record<string, number> => typeof h === 'object' && h !== null && 'stdoutLines' in h);
    expect(progress.some((h) => (h.stdoutLines ?? 0) > 0 && (h.stdoutBytes ?? 0) > 0)).toBe(true);
    expect(progress[0]).toMatchObject({ pid: expect.any(Number), elapsedMs: expect.any(Number) });
  });

  test('leaves no background process behind after a normal exit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cmd-')), 'pids.json');
    const script = `${treeScript(file)}; setTimeout(() => process.exit(0), 200);`;
    const { response } = await runActivity(activities, stepRequest('command', { command: node, args: ['-e', script] }));
    expect(response?.output).toMatchObject({ exitCode: 0 });
    const pids = readPids(file)!;
    await waitFor(() => processGone(pids.child), 5_000);
  });
});
