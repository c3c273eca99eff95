import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { CommandOutputSchema, type CommandOutput } from '../../src/definition/executor-outputs';
import { abortReason, defineExecutor, StepError, type ExecutorContext } from '../executor';
import { DurationMsSchema } from '../lib/duration-input';
import { LineSplitter, LineTail } from '../lib/line-tail';
import { FindingCollector } from '../lib/output-findings';
import { signalGroup } from '../lib/process-tree';

/** What a command sees of the worker's environment unless `inheritEnv` says otherwise. */
export const DEFAULT_INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TERM', 'CI'];
const LOG_LINE_MAX = 4 * 1024;

const CommandInput = z.object({
  command: z.string().min(1).describe('Program to run (a shell command line when `shell` is true)'),
  args: z.array(z.string()).default([]),
  shell: z.boolean().default(false).describe('Run through /bin/sh; off by default so arguments are never reinterpreted'),
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).default({}),
  inheritEnv: z
    .union([z.boolean(), z.array(z.string())])
    .default(DEFAULT_INHERITED_ENV)
    .describe("Worker environment variables passed on: true for all, false for none, or a list of names"),
  stdin: z.string().optional().describe('Text written to the standard input'),
  timeout: DurationMsSchema.optional().describe('Kill the process tree after this long (ms or a duration like 5m)'),
  okExitCodes: z.array(z.number().int()).min(1).default([0]),
  nonRetryableExitCodes: z.array(z.number().int()).default([]).describe('Exit codes that fail the step without retrying'),
  tailLines: z.number().int().min(1).max(10_000).default(200),
  tailBytes: z.number().int().min(1024).max(1024 * 1024).default(64 * 1024),
  heartbeatMs: z.number().int().min(50).max(60_000).default(5_000),
  killGraceMs: z.number().int().min(0).max(60_000).default(2_000).describe('Between SIGTERM and SIGKILL'),
  logOutput: z.enum(['info', 'debug', 'none']).default('info').describe('Level at which output lines are logged'),
  findings: z
    .boolean()
    .default(false)
    .describe("Read the output's `path:line[:col]: message` and tsc-style `path(line,col): error TS…: message` lines as findings (the report counts them; a check run annotates them)"),
});
type CommandInput = z.output<typeof CommandInput>;

const CommandOutput = CommandOutputSchema;
export type { CommandOutput };

export const commandExecutor = defineExecutor({
  type: 'command',
  description: 'Runs a program with args, cwd, env and a timeout (no shell unless `shell: true`); the result is the exit code and a tail of the output',
  input: CommandInput,
  output: CommandOutput,
  async run(input, ctx) {
    if (input.cwd !== undefined) await checkDirectory(input.cwd);
    const result = await runProcess(input, ctx);
    if (input.okExitCodes.includes(result.exitCode ?? Number.NaN)) return result;
    const message = failureMessage(result);
    const nonRetryable = result.exitCode !== null && input.nonRetryableExitCodes.includes(result.exitCode);
    throw new StepError(message, { type: 'CommandFailed', nonRetryable, details: result });
  },
  summarize: (output) => `exit ${output.exitCode} in ${(output.durationMs / 1000).toFixed(1)}s`,
});

async function checkDirectory(cwd: string): Promise<void> {
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw StepError.nonRetryable(`working directory "${cwd}" does not exist or is not a directory`, 'CommandSpawnFailed');
  }
}

function buildEnv(input: CommandInput): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = {};
  if (input.inheritEnv === true) Object.assign(inherited, process.env);
  else if (Array.isArray(input.inheritEnv)) {
    for (const name of input.inheritEnv) if (process.env[name] !== undefined) inherited[name] = process.env[name];
  }
  return { ...inherited, ...input.env };
}

function displayCommand(input: CommandInput): string {
  return [input.command, ...input.args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
}

function runProcess(input: CommandInput, ctx: ExecutorContext): Promise<CommandOutput> {
  const command = displayCommand(input);
  const started = Date.now();
  const tails = { stdout: new LineTail(input.tailLines, input.tailBytes), stderr: new LineTail(input.tailLines, input.tailBytes) };
  const findings = input.findings ? new FindingCollector(input.cwd) : undefined;

  return new Promise<CommandOutput>((resolve, reject) => {
    if (ctx.signal.aborted) return reject(abortReason(ctx.signal));
    const child = spawn(input.command, input.args, {
      cwd: input.cwd,
      env: buildEnv(input),
      shell: input.shell,
      detached: true,
      stdio: [input.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const splitters = {
      stdout: new LineSplitter((line) => onLine('stdout', line)),
      stderr: new LineSplitter((line) => onLine('stderr', line)),
    };
    function onLine(stream: 'stdout' | 'stderr', line: string): void {
      tails[stream].push(line);
      findings?.push(line);
      if (input.logOutput !== 'none') ctx.logger[input.logOutput]({ stream }, line.slice(0, LOG_LINE_MAX));
    }
    child.stdout?.on('data', (chunk: Buffer) => splitters.stdout.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => splitters.stderr.write(chunk));
    if (input.stdin !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input.stdin);
    }
    ctx.logger.info({ event: 'command.started', command, pid, cwd: input.cwd }, `running ${command}`);

    let stopReason: 'timeout' | 'cancelled' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timeout' | 'cancelled'): void => {
      if (stopReason || pid === undefined) return;
      stopReason = reason;
      ctx.logger.warn({ event: 'command.killing', pid, reason }, `stopping ${command} (${reason})`);
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), input.killGraceMs);
    };
    const onAbort = (): void => stop('cancelled');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const timeoutTimer = input.timeout === undefined ? undefined : setTimeout(() => stop('timeout'), input.timeout);
    const progress = () => ({
      pid,
      elapsedMs: Date.now() - started,
      stdoutBytes: splitters.stdout.bytes,
      stderrBytes: splitters.stderr.bytes,
      stdoutLines: splitters.stdout.lines,
      stderrLines: splitters.stderr.lines,
    });
    const heartbeatTimer = setInterval(() => ctx.heartbeat(progress()), input.heartbeatMs);
    ctx.heartbeat(progress());

    const cleanup = (): void => {
      clearInterval(heartbeatTimer);
      if (timeoutTimer) clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      ctx.signal.removeEventListener('abort', onAbort);
    };

    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      reject(
        StepError.nonRetryable(`could not start ${command}: ${err.code ?? ''} ${err.message}`.trim(), 'CommandSpawnFailed'),
      );
    });

    child.once('exit', (exitCode, signal) => {
      // Whatever the command left behind in its group goes with it, so no stray process holds the pipes open.
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      waitForStreams(child.stdout, child.stderr).then(() => {
        cleanup();
        splitters.stdout.end();
        splitters.stderr.end();
        const output: CommandOutput = {
          command,
          exitCode,
          signal,
          passed: exitCode === 0,
          durationMs: Date.now() - started,
          stdoutTail: tails.stdout.text(),
          stderrTail: tails.stderr.text(),
          stdoutLines: splitters.stdout.lines,
          stderrLines: splitters.stderr.lines,
          ...(findings ? { findings: findings.findings, ...(findings.dropped > 0 ? { findingsDropped: findings.dropped } : {}) } : {}),
        };
        ctx.logger.info(
          { event: 'command.exited', exitCode, signal, durationMs: output.durationMs, ...progress() },
          `${command} exited with ${exitCode ?? signal}`,
        );
        if (stopReason === 'cancelled') reject(abortReason(ctx.signal));
        else if (stopReason === 'timeout') {
          reject(
            new StepError(`${command} timed out after ${input.timeout}ms and was killed`, {
              type: 'CommandTimeout',
              details: output,
            }),
          );
        } else resolve(output);
      }, reject);
    });
  });
}

function waitForStreams(...streams: Array<NodeJS.ReadableStream | null>): Promise<void> {
  const open = streams.filter((s): s is NodeJS.ReadableStream & { closed?: boolean } => s !== null && !(s as { closed?: boolean }).closed);
  return Promise.race([
    Promise.all(open.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())))).then(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref()),
  ]);
}

function failureMessage(result: CommandOutput): string {
  const how = result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const lines = (result.stderrTail || result.stdoutTail).split('\n').filter((l) => l.trim() !== '').slice(-5);
  return lines.length > 0 ? `${result.command} ${how}:\n${lines.join('\n')}` : `${result.command} ${how}`;
}
