/**
 * Connecting to Temporal with its standard environment configuration: the `default` profile (or
 * TEMPORAL_PROFILE) of the TOML config file, then TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY and TEMPORAL_TLS_* variables, then the explicit overrides given here.
 */
import { existsSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions, type DataConverter, type TLSConfig } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { dataConverterFromEnv } from '../codec';
import { directoryFromEnv, type Directory } from '../directory/directory';
import type { StepQueues } from '../../workflows/types';
import { INSTALLATION_NAME, INSTALLATION_NAME_RULE } from './installation-name';
import { ReviewClient, type ReviewClientOptions } from './review-client';
import { InvalidRequestError } from './errors';
import { queueOptionProblem } from './start-options';

export interface ConnectReviewClientOptions extends Omit<ReviewClientOptions, 'directory'> {
  address?: string;
  namespace?: string;
  apiKey?: string;
  /** `true` for TLS with the system roots, or a full TLS config; `false` forces plain text. */
  tls?: boolean | TLSConfig;
  /** Profile of the Temporal config file (default: TEMPORAL_PROFILE or `default`). */
  profile?: string;
  /** Path of the Temporal config file (default: TEMPORAL_CONFIG_FILE or the platform's default location). */
  configFile?: string;
  /** Environment to read instead of `process.env`. */
  env?: Record<string, string | undefined>;
  dataConverter?: DataConverter;
  identity?: string;
  /**
   * The directory of approvers; default: the file named by REVIEW_DIRECTORY_FILE, if set. `null` turns it off
   * (the trusting mode). A bad file is reported here, before connecting.
   */
  directory?: Directory | null;
  /** Connect on first use instead of now (a service that must start while Temporal is down, such as the webhook). */
  lazy?: boolean;
}

export interface ResolvedConnection {
  connection: ConnectionOptions;
  namespace: string;
}

function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The connection settings that `connectReviewClient` would use, without connecting. */
export function resolveConnection(options: ConnectReviewClientOptions = {}): ResolvedConnection {
  if (options.configFile !== undefined && !existsSync(options.configFile)) {
    throw new InvalidRequestError(`the Temporal configuration file ${options.configFile} does not exist: give the path of a TOML profile file, or leave configFile out for the default (TEMPORAL_CONFIG_FILE)`);
  }
  const loaded = loadClientConnectConfig({
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.configFile !== undefined ? { configSource: { path: options.configFile } } : {}),
    ...(options.env !== undefined ? { overrideEnvVars: definedEnv(options.env) } : {}),
  });
  const base = loaded.connectionOptions;
  const apiKey = options.apiKey ?? base.apiKey;
  const tls = options.tls ?? base.tls ?? (options.apiKey !== undefined ? true : undefined);
  const connection: ConnectionOptions = {
    address: options.address ?? base.address ?? '127.0.0.1:7233',
    ...(typeof apiKey === 'string' ? { apiKey } : {}),
    ...(tls !== undefined && tls !== null ? { tls } : {}),
    ...(base.metadata ? { metadata: base.metadata } : {}),
  };
  return { connection, namespace: options.namespace ?? loaded.namespace ?? 'default' };
}

/** Connects to Temporal and returns a ReviewClient; close it with `client.close()`. */
export async function connectReviewClient(options: ConnectReviewClientOptions = {}): Promise<ReviewClient> {
  const { connection: connectionOptions, namespace } = resolveConnection(options);
  const env = options.env ?? process.env;
  const queues = queueSettingsFromEnv(env, options);
  const dataConverter = options.dataConverter ?? dataConverterFromEnv(env);
  const directory = options.directory === undefined ? directoryFromEnv(env) : (options.directory ?? undefined);
  const connection = options.lazy ? Connection.lazy(connectionOptions) : await Connection.connect(connectionOptions);
  const client = new Client({
    connection,
    namespace,
    ...(dataConverter ? { dataConverter } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const { directory: _directory, ...rest } = options;
  return new ReviewClient(client, { ...rest, ...(directory ? { directory } : {}), ...queues, ownsConnection: true });
}

/** Where the reviews a client starts run, from REVIEW_TASK_QUEUE_PREFIX and REVIEW_STEP_QUEUES unless `options` say. */
export function queueSettingsFromEnv(env: Record<string, string | undefined>, options: Pick<ReviewClientOptions, 'taskQueuePrefix' | 'stepQueues'> = {}): Pick<ReviewClientOptions, 'taskQueuePrefix' | 'stepQueues'> {
  const taskQueuePrefix = options.taskQueuePrefix ?? taskQueuePrefixFromEnv(env);
  const stepQueues = options.stepQueues ?? stepQueuesFromEnv(env);
  const problem = queueOptionProblem({ stepQueues, ...(taskQueuePrefix !== undefined ? { taskQueuePrefix } : {}) });
  if (problem) throw new InvalidRequestError(problem);
  return { ...(taskQueuePrefix !== undefined ? { taskQueuePrefix } : {}), ...(stepQueues !== undefined ? { stepQueues } : {}) };
}

/** REVIEW_TASK_QUEUE_PREFIX: the prefix of the workers that run the reviews (default `review`). */
export function taskQueuePrefixFromEnv(env: Record<string, string | undefined>): string | undefined {
  const value = env.REVIEW_TASK_QUEUE_PREFIX?.trim();
  if (value === undefined || value === '') return undefined;
  if (INSTALLATION_NAME.test(value)) return value;
  throw new Error(`REVIEW_TASK_QUEUE_PREFIX ${JSON.stringify(value)} is not valid: ${INSTALLATION_NAME_RULE}; set it to the workers' REVIEW_TASK_QUEUE_PREFIX`);
}

/** REVIEW_STEP_QUEUES: `workflow` (the default) or `tiers`. */
export function stepQueuesFromEnv(env: Record<string, string | undefined>): StepQueues | undefined {
  const value = env.REVIEW_STEP_QUEUES?.trim();
  if (value === undefined || value === '') return undefined;
  if (value === 'workflow' || value === 'tiers') return value;
  throw new Error(`REVIEW_STEP_QUEUES must be workflow (steps on the reviews' own task queue) or tiers (steps on <prefix>-<tier>), not ${JSON.stringify(value)}`);
}
