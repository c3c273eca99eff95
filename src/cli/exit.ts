/** Exit codes of the `review` command and how errors map onto them. */
import { CommanderError } from 'commander';
import { ReviewError } from '../client/errors';
import { PipelineValidationError } from '../definition/issues';

export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, conflict: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as is: one message, one exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof ReviewError) {
    switch (error.code) {
      case 'not_found':
        return EXIT.notFound;
      case 'already_finished':
      case 'gate_not_open':
      case 'not_allowed':
      case 'conflict':
        return EXIT.conflict;
      default:
        return EXIT.failure;
    }
  }
  if (error instanceof PipelineValidationError) return EXIT.failure;
  return EXIT.failure;
}

export function errorCodeFor(error: unknown): string {
  if (error instanceof ReviewError) return error.code;
  if (error instanceof CliError) return error.exitCode === EXIT.usage ? 'usage' : 'failure';
  return 'error';
}
