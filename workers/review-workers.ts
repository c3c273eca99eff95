/**
 * The review worker of one process: reviews and their steps on the review queue with one bounded cache, steps of
 * the tiers it serves on their own queues, and the steps that need this process's workspaces, sharing one
 * connection, one workflow bundle and one activity set.
 */
import { readFile } from 'node:fs/promises';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, Runtime, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, createRegistry } from '../activities';
import { SHARED_WORKFLOW_MODULES } from './shared-modules';
import { targetNode20 } from './bundle-target';
import type { SecretResolver } from '../activities/secrets';
import { WorkspaceHost } from '../activities/workspace-host';
import { bundleEncodesFailures, encodesFailures, ENCRYPTED_FAILURE_CONVERTER_PATH, workerDataConverterFromEnv } from '../src/codec';
import type { Executor } from '../activities/executor';
import { configuredExecutorCatalogPath, writeExecutorCatalog } from '../src/definition/catalog-file';
import { workflowTaskQueue } from '../workflows/step-options';
import { cachedReviews, slotsFor, WorkerConfigError, type WorkerConfig } from './config';
import { createStepMetrics } from './metrics';
import { MissingKeyReporter } from './missing-keys';
import { StepInterceptor } from './step-interceptor';

/** The longest a running step's heartbeats are held back (see below). */
export const HEARTBEAT_THROTTLE_MS = 10_000;

export interface ReviewWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  config: WorkerConfig;
  /** Executors registered besides the built-ins. */
  executors?: Executor[];
  /** Where `${{ secrets.NAME }}` values come from (default: REVIEW_SECRET_<NAME>, then REVIEW_SECRETS_FILE). */
  secrets?: SecretResolver;
  logger: Logger;
  /**
   * A prebuilt workflow bundle (from bundleReviewWorkflows with the same encryption settings); built from
   * `workflows/` when omitted.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Defaults to the encrypting converter when REVIEW_ENCRYPTION_KEYS(_FILE) is set, else plaintext. Either way its
   * codecs report a review encrypted with a key this worker lacks (once per review, on `logger`).
   */
  dataConverter?: WorkerOptions['dataConverter'];
  /**
   * Where the worker writes its executor catalog at start-up (every executor it registers, with input and
   * output JSON Schemas) for `review validate` and the client; `null` for none. Default:
   * REVIEW_EXECUTOR_CATALOG, else ~/.local/share/review-orchestrator/executors.json.
   */
  executorCatalog?: string | null;
  /** Where this process keeps its checkouts (default: REVIEW_WORKSPACE_ROOT, else ~/.local/share/review-orchestrator/workspaces). */
  workspaceRoot?: string;
}

export interface ReviewWorkers {
  /** The task queues this process polls besides its workspace queue. */
  queues: ReviewQueue[];
  /** How many reviews each worker that runs them keeps cached. */
  cachedReviews: number;
  workers: Worker[];
  /** The task queue only this process polls (steps that run in one of its workspaces), and its workspaces. */
  workspaces: WorkspaceHost;
  run(): Promise<void>;
  shutdown(): void;
  ready(): boolean;
  states(): Record<string, string>;
}

export interface BundleReviewWorkflowsOptions {
  /**
   * Encode failure messages and stack traces raised by workflow code (so the codec encrypts them). Must match the
   * workers' data converter; default: whether REVIEW_ENCRYPTION_KEYS(_FILE) is set.
   */
  encodeFailures?: boolean;
}

/** The review workflows bundled with the failure converter that matches the encryption settings. */
export async function bundleReviewWorkflows(options: BundleReviewWorkflowsOptions = {}): Promise<WorkflowBundle> {
  const encode = options.encodeFailures ?? encodesFailures(workerDataConverterFromEnv());
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    preloadModules: SHARED_WORKFLOW_MODULES,
    webpackConfigHook: targetNode20,
    ...(encode ? { failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH } : {}),
    logger: Runtime.instance().logger,
  });
}

/**
 * Checks that a prebuilt bundle encodes workflow failures exactly when the workers' converter does: a bundle
 * without the encoding converter would store the messages of failures raised by workflows in plaintext
 * (refused); one with it, on workers without encryption, hides the reasons as "Encoded failure" (a warning).
 */
async function checkBundle(bundle: NonNullable<WorkerOptions['workflowBundle']>, dataConverter: DataConverter, logger: Logger): Promise<void> {
  let code: string;
  if ('code' in bundle) code = bundle.code;
  else if ('codePath' in bundle) code = await readFile(bundle.codePath, 'utf8').catch(() => '');
  else return;
  if (code === '') return;
  const where = 'codePath' in bundle ? ` ${bundle.codePath}` : '';
  const bundleEncodes = bundleEncodesFailures(code);
  if (encodesFailures(dataConverter) && !bundleEncodes) {
    throw new WorkerConfigError([
      `REVIEW_WORKFLOW_BUNDLE: the workflow bundle${where} was built without the encrypting failure converter, but encryption is on: failure messages raised by ` +
        'reviews would be stored in plaintext. Rebuild it with bundleReviewWorkflows() under the same REVIEW_ENCRYPTION_KEYS, or unset REVIEW_WORKFLOW_BUNDLE.',
    ]);
  }
  if (!encodesFailures(dataConverter) && bundleEncodes) {
    logger.warn(
      { workflowBundle: where.trim() || undefined },
      'the workflow bundle encodes failure messages but encryption is off: the Web UI will show "Encoded failure" instead of the reasons; ' +
        'rebuild it with bundleReviewWorkflows() without REVIEW_ENCRYPTION_KEYS, or unset REVIEW_WORKFLOW_BUNDLE',
    );
  }
}

export async function createReviewWorkers(options: ReviewWorkersOptions): Promise<ReviewWorkers> {
  const { config } = options;
  const registry = createRegistry(options.executors ?? []);
  writeCatalog(registry.catalogEntries(), options);
  const { host: workspaces, orphans } = await WorkspaceHost.start({
    root: options.workspaceRoot ?? config.REVIEW_WORKSPACE_ROOT,
    prefix: config.REVIEW_TASK_QUEUE_PREFIX,
  });
  if (orphans.removed.length > 0) options.logger.info({ removed: orphans.removed }, 'removed workspaces of workers that are gone');
  const activities = createActivities(registry, { logger: options.logger, workspaces, ...(options.secrets ? { secrets: options.secrets } : {}) });
  const dataConverter = new MissingKeyReporter(options.logger).dataConverter(options.dataConverter ?? workerDataConverterFromEnv());
  if (options.workflowBundle) await checkBundle(options.workflowBundle, dataConverter, options.logger);
  const bundle = options.workflowBundle ?? (await bundleReviewWorkflows({ encodeFailures: encodesFailures(dataConverter) }));
  const metrics = createStepMetrics(Runtime.instance().metricMeter);
  const interceptors: WorkerOptions['interceptors'] = { activity: [(ctx) => ({ inbound: new StepInterceptor(ctx, metrics) })] };
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    activities,
    dataConverter,
    shutdownGraceTime: config.REVIEW_SHUTDOWN_GRACE,
    // A cancel reaches a running step with the answer to its next heartbeat: sent at least every 10 s (60 s by
    // default), a superseded or cancelled review's commands stop within about that long.
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE_MS,
    interceptors,
    ...deploymentOptions(config),
  };
  const queues = reviewQueues(config);
  const cache = cachedReviews(config);
  const workflowQueues = queues.filter((q) => q.workflows).length;
  const workers = await Promise.all(
    queues.map((queue) =>
      Worker.create({
        ...common,
        taskQueue: queue.name,
        maxConcurrentActivityTaskExecutions: queue.stepSlots,
        ...(queue.workflows ? { activityTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: stepPollers(queue.stepSlots, config.REVIEW_STEP_POLLERS) } } : {}),
        ...(queue.workflows
          ? {
              workflowBundle: bundle,
              reuseV8Context: true,
              maxCachedWorkflows: Math.max(2, Math.floor(cache / workflowQueues)),
              maxConcurrentWorkflowTaskExecutions: config.REVIEW_WORKFLOW_SLOTS,
            }
          : {}),
      }),
    ),
  );
  // Activities only, on a queue no other process polls: the steps that run in this process's workspaces.
  workers.push(await Worker.create({ ...common, taskQueue: workspaces.queue, maxConcurrentActivityTaskExecutions: config.REVIEW_WORKSPACE_SLOTS }));
  const names = [...queues.map((q) => q.name), workspaces.queue];
  const states = () => Object.fromEntries(names.map((name, i) => [name, workers[i]?.getState() ?? 'UNKNOWN']));
  return {
    queues,
    cachedReviews: cache,
    workers,
    workspaces,
    run: async () => {
      try {
        await Promise.all(workers.map((w) => w.run()));
      } finally {
        await workspaces.close();
      }
    },
    shutdown: () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
    ready: () => workers.every((w) => w.getState() === 'RUNNING'),
    states,
  };
}

/**
 * Step pollers on the review queue: REVIEW_STEP_POLLERS, or one per 20 step slots (1 to 10). Each poller holds
 * a step slot while it waits, and a step is handed over eagerly only into a slot nobody holds: eager steps come
 * in the order the review scheduled them, highest priority first, while a waiting poller takes whichever step
 * reaches matching first. With a poller per 4 slots, the steps of a review arriving as the last slots filled
 * went to the idle pollers in arrival order: 2 of 80 low steps in the priority benchmark started while a
 * critical one of the same workflow task waited; with one per 20, none. Under a backlog, pollers take steps
 * in priority order, and one poller keeps up with about one step per round trip to the server.
 */
export function stepPollers(stepSlots: number, configured?: number): number {
  return configured ?? Math.max(1, Math.min(10, Math.floor(stepSlots / 20)));
}

export interface ReviewQueue {
  name: string;
  /** Whether the queue carries workflow tasks (reviews) besides steps. */
  workflows: boolean;
  stepSlots: number;
}

/**
 * The task queues a worker with this configuration polls: the review queue `<prefix>` (reviews, and the steps
 * that run on the review's own queue), and `<prefix>-<tier>` for each tier in REVIEW_TIERS (steps only, unless
 * REVIEW_TIER_WORKFLOWS is on).
 */
export function reviewQueues(config: WorkerConfig): ReviewQueue[] {
  const prefix = config.REVIEW_TASK_QUEUE_PREFIX;
  const queues: ReviewQueue[] = [];
  if (config.REVIEW_WORKFLOWS) queues.push({ name: workflowTaskQueue({ taskQueuePrefix: prefix }), workflows: true, stepSlots: config.REVIEW_STEP_SLOTS });
  for (const tier of config.REVIEW_TIERS) queues.push({ name: `${prefix}-${tier}`, workflows: config.REVIEW_TIER_WORKFLOWS, stepSlots: slotsFor(config, tier) });
  return queues;
}

/** Worker Deployment Versioning when REVIEW_BUILD_ID is set: reviews stay on the version that started them. */
export function deploymentOptions(config: WorkerConfig): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (config.REVIEW_BUILD_ID === undefined) return {};
  return {
    workerDeploymentOptions: {
      useWorkerVersioning: true,
      version: { deploymentName: deploymentName(config), buildId: config.REVIEW_BUILD_ID },
      defaultVersioningBehavior: 'PINNED',
    },
  };
}

export function deploymentName(config: Pick<WorkerConfig, 'REVIEW_DEPLOYMENT_NAME' | 'REVIEW_TASK_QUEUE_PREFIX'>): string {
  return config.REVIEW_DEPLOYMENT_NAME ?? config.REVIEW_TASK_QUEUE_PREFIX;
}

/** Writes the executor catalog; a worker that cannot write it still runs (validation then warns about unknown types). */
function writeCatalog(entries: Parameters<typeof writeExecutorCatalog>[1], options: ReviewWorkersOptions): void {
  const configured = options.config.REVIEW_EXECUTOR_CATALOG;
  const path =
    options.executorCatalog !== undefined
      ? options.executorCatalog
      : configuredExecutorCatalogPath(configured !== undefined ? { ...process.env, REVIEW_EXECUTOR_CATALOG: configured } : process.env);
  if (path === null || path === undefined) return;
  try {
    writeExecutorCatalog(path, entries);
    options.logger.info({ executorCatalog: path, executors: entries.map((e) => e.type) }, 'executor catalog written');
  } catch (error) {
    options.logger.warn({ executorCatalog: path, err: error }, 'the executor catalog could not be written; review validate will not know this worker\'s executors');
  }
}
