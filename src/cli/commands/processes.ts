import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { globalsOf, type GlobalOptions } from '../context';
import { CliError, type ExitCode } from '../exit';

const ROOT = resolve(__dirname, '..', '..', '..');

/** Runs a TypeScript entry point of this project in the foreground, passing signals on, and resolves with its exit code. */
function runEntry(entry: string, env: NodeJS.ProcessEnv): Promise<number> {
  const file = join(ROOT, entry);
  if (!existsSync(file)) throw new CliError(`${entry} is missing from this installation`);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', file], { cwd: ROOT, env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      resolvePromise(code ?? (signal ? 0 : 1));
    });
  });
}

function connectionEnv(globals: GlobalOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...(globals.address !== undefined ? { TEMPORAL_ADDRESS: globals.address } : {}),
    ...(globals.namespace !== undefined ? { TEMPORAL_NAMESPACE: globals.namespace } : {}),
    ...(globals.profile !== undefined ? { TEMPORAL_PROFILE: globals.profile } : {}),
  };
}

function exitWith(code: number): void {
  if (code !== 0) throw new CliError('', Math.min(code, 1) as ExitCode);
}

export function registerProcesses(program: Command): void {
  program
    .command('worker')
    .description('run a worker: reviews and their steps on the review queue (settings from the environment; see README)')
    .option('--task-queue-prefix <prefix>', 'task queue prefix to poll (default: $REVIEW_TASK_QUEUE_PREFIX, else review)')
    .action(async (flags: { taskQueuePrefix?: string }, command: Command) => {
      const env = connectionEnv(globalsOf(command));
      if (flags.taskQueuePrefix !== undefined) env.REVIEW_TASK_QUEUE_PREFIX = flags.taskQueuePrefix;
      exitWith(await runEntry(join('workers', 'main.ts'), env));
    });

  program
    .command('dev')
    .description('run a local Temporal dev server with the Web UI and a SQLite store (Ctrl-C stops it)')
    .option('--port <port>', 'gRPC port (default 7233; the Web UI is on port + 1000)')
    .option('--db <file>', 'SQLite file for the server state')
    .action(async (flags: { port?: string; db?: string }, command: Command) => {
      const env = connectionEnv(globalsOf(command));
      if (flags.port !== undefined) env.TEMPORAL_DEV_PORT = flags.port;
      if (flags.db !== undefined) env.TEMPORAL_DEV_DB = flags.db;
      const provision = join(ROOT, 'temporal-dev', 'provision.sh');
      if (existsSync(provision)) {
        const code = await new Promise<number>((done) => spawn('bash', [provision], { cwd: ROOT, env, stdio: 'inherit' }).once('exit', (c) => done(c ?? 1)));
        if (code !== 0) throw new CliError('could not provision the Temporal dev server (see the messages above)');
      }
      exitWith(await runEntry(join('temporal-dev', 'start.ts'), env));
    });
}
