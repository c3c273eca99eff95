/** What every command shares: global flags, the connection, and how results are printed. */
import type { Command } from 'commander';
import { connectReviewClient, queueSettingsFromEnv, resolveConnection, type ConnectReviewClientOptions } from '../client/connect';
import type { ReviewClient } from '../client/review-client';
import { directoryFromEnv, type Directory } from '../directory/directory';
import { CliError } from './exit';

export interface GlobalOptions {
  address?: string;
  namespace?: string;
  profile?: string;
  json?: boolean;
  verbose?: boolean;
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export interface Output {
  readonly json: boolean;
  readonly color: boolean;
  /** Prints `human` normally, or `data` as JSON with --json. */
  result(data: unknown, human: string | (() => string)): void;
  line(text: string): void;
  note(text: string): void;
}

export function outputFor(globals: GlobalOptions, stdout: NodeJS.WriteStream = process.stdout): Output {
  const json = globals.json === true;
  const color = Boolean(stdout.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
  return {
    json,
    color,
    result(data, human) {
      if (json) stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else {
        const text = typeof human === 'function' ? human() : human;
        stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      }
    },
    line(text) {
      stdout.write(`${text}\n`);
    },
    note(text) {
      if (!json) process.stderr.write(`${text}\n`);
    },
  };
}

function connectOptions(globals: GlobalOptions): ConnectReviewClientOptions {
  return {
    ...(globals.address !== undefined ? { address: globals.address } : {}),
    ...(globals.namespace !== undefined ? { namespace: globals.namespace } : {}),
    ...(globals.profile !== undefined ? { profile: globals.profile } : {}),
  };
}

/** Connects with the environment configuration plus the flags, runs `fn`, and closes the connection. */
export async function withClient<T>(globals: GlobalOptions, fn: (client: ReviewClient) => Promise<T>, extra: Pick<ConnectReviewClientOptions, 'executorCatalog' | 'strictExecutors'> = {}): Promise<T> {
  let directory: Directory | undefined;
  let queues: Pick<ConnectReviewClientOptions, 'taskQueuePrefix' | 'stepQueues'>;
  try {
    directory = directoryFromEnv(process.env);
    queues = queueSettingsFromEnv(process.env);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const options: ConnectReviewClientOptions = { ...connectOptions(globals), ...extra, ...queues, directory: directory ?? null };
  let client: ReviewClient;
  try {
    client = await connectReviewClient(options);
  } catch (error) {
    const { connection, namespace } = resolveConnection(options);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(
      `cannot connect to Temporal at ${connection.address} (namespace ${namespace}): ${reason}. ` +
        `Start a local server with 'review dev', or point TEMPORAL_ADDRESS / --address at yours.`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
