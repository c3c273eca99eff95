/** The `review` command: start, watch and steer reviews from a terminal or a script. */
import { Command, CommanderError } from 'commander';
import { registerControl } from './commands/control';
import { registerDecide } from './commands/decide';
import { registerGraph } from './commands/graph';
import { registerList } from './commands/list';
import { registerProcesses } from './commands/processes';
import { registerSchedule } from './commands/schedule';
import { registerStart } from './commands/start';
import { registerStats } from './commands/stats';
import { registerStatus } from './commands/status';
import { registerUi } from './commands/ui';
import { registerValidate } from './commands/validate';
import { InvalidPipelineError } from '../client/errors';
import { errorCodeFor, EXIT, exitCodeFor } from './exit';

const EXIT_HELP = `
Exit codes: 0 ok, 1 failed or invalid, 2 usage error, 3 not found, 4 not allowed or conflicting with the review's state.
Connection: Temporal's environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
TEMPORAL_TLS_*, TEMPORAL_PROFILE and the config file), overridden by --address and --namespace.`;

export function buildProgram(): Command {
  const program = new Command('review')
    .description('durable review workflows on Temporal: validate pipelines, start, watch and steer reviews')
    .version(readVersion(), '-V, --version')
    .option('--address <host:port>', 'Temporal frontend address (overrides TEMPORAL_ADDRESS)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE)')
    .option('--profile <name>', 'profile of the Temporal config file')
    .option('--json', 'machine-readable JSON output')
    .option('-v, --verbose', 'show stack traces on errors')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', EXIT_HELP)
    .showSuggestionAfterError(true)
    .exitOverride();
  registerValidate(program);
  registerGraph(program);
  registerStart(program);
  registerStatus(program);
  registerDecide(program);
  registerControl(program);
  registerList(program);
  registerStats(program);
  registerSchedule(program);
  registerProcesses(program);
  registerUi(program);
  return program;
}

function readVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function reportError(error: unknown, program: Command): number {
  const code = exitCodeFor(error);
  if (error instanceof CommanderError) return code;
  const { json, verbose } = program.opts<{ json?: boolean; verbose?: boolean }>();
  const message = error instanceof Error ? error.message : String(error);
  if (message !== '') {
    process.stderr.write(`error: ${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: errorCodeFor(error), message, ...(error instanceof InvalidPipelineError ? { issues: error.issues } : {}) } })}\n`);
  }
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return code;
}

/** Runs the CLI with `argv` (as in process.argv) and resolves with the exit code. */
export async function run(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(error, program);
  }
}

if (require.main === module) {
  void run().then((code) => process.exit(code));
}
