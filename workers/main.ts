/**
 * `npm run worker`: runs the review workflows and steps for every priority tier in one process.
 * Settings come from the environment (see README, "Configuration"); Temporal connection settings
 * from Temporal's standard environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles).
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import type { Executor } from '../activities/executor';
import { loadWorkerConfig, WorkerConfigError, type WorkerConfig } from './config';
import { listenError, parseListenAddress } from '../src/http/listen-address';
import { startHealthServer } from './health';
import { createWorkerLogger, PinoTemporalLogger } from './logging';
import { applyHeapLimit, mainHeapAdvice } from './memory';
import { HISTOGRAM_BUCKETS_MS } from './metrics';
import { createReviewWorkers, deploymentName } from './review-workers';

export interface RunWorkerOptions {
  executors?: Executor[];
  env?: NodeJS.ProcessEnv;
}

/** The SDK core's Prometheus exporter could not start; other errors as they are. */
function metricsError(error: unknown, address: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!/prometheus|metrics|socket ?addr/i.test(message)) return error;
  const why = /in use/i.test(message) ? 'another program is using its port; give REVIEW_METRICS_ADDRESS a free port' : message;
  return new WorkerConfigError([`cannot serve metrics on ${address} (REVIEW_METRICS_ADDRESS): ${why}; or set REVIEW_METRICS_ADDRESS=off`]);
}

function startHealth(address: string, current: () => { ready(): boolean; states(): Record<string, string> } | undefined) {
  const { host, port } = parseListenAddress(address, 'REVIEW_HEALTH_ADDRESS', '127.0.0.1:8081');
  const source = { ready: () => current()?.ready() ?? false, details: () => current()?.states() ?? {} };
  return startHealthServer(host, port, source).catch((error: unknown) => {
    throw listenError(error, 'REVIEW_HEALTH_ADDRESS', address);
  });
}

export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const config: WorkerConfig = loadWorkerConfig(options.env);
  const heapLimitMb = applyHeapLimit(config);
  const logger = createWorkerLogger(config.LOG_LEVEL);
  try {
    Runtime.install({
      logger: new PinoTemporalLogger(logger),
      telemetryOptions: {
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
        ...(config.REVIEW_METRICS_ADDRESS === 'off'
          ? {}
          : { metrics: { prometheus: { bindAddress: config.REVIEW_METRICS_ADDRESS, useSecondsForDurations: false, histogramBucketOverrides: HISTOGRAM_BUCKETS_MS } } }),
      },
    });
  } catch (error) {
    throw metricsError(error, config.REVIEW_METRICS_ADDRESS);
  }
  const advice = mainHeapAdvice(config);
  if (advice) logger.warn(advice);
  // Listening first: a taken port fails the start before the workflow bundle is built.
  let workers: Awaited<ReturnType<typeof createReviewWorkers>> | undefined;
  const health = config.REVIEW_HEALTH_ADDRESS === 'off' ? undefined : await startHealth(config.REVIEW_HEALTH_ADDRESS, () => workers);
  const { connectionOptions, namespace } = loadClientConnectConfig();
  let connection: NativeConnection | undefined;
  try {
    connection = await NativeConnection.connect(connectionOptions);
    workers = await createReviewWorkers({
      connection,
      namespace,
      config,
      executors: options.executors,
      logger,
      workflowBundle: config.REVIEW_WORKFLOW_BUNDLE ? { codePath: config.REVIEW_WORKFLOW_BUNDLE } : undefined,
    });
  } catch (error) {
    health?.close();
    await connection?.close();
    throw error;
  }
  logger.info(
    {
      address: connectionOptions.address ?? '127.0.0.1:7233',
      namespace: namespace ?? 'default',
      taskQueues: [...workers.queues.map((q) => (q.workflows ? `${q.name} (reviews and steps)` : `${q.name} (steps)`)), `${workers.workspaces.queue} (workspace steps)`],
      cachedReviews: workers.cachedReviews,
      memory: `${Math.round(config.REVIEW_WORKER_MEMORY / 2 ** 20)} MiB${heapLimitMb !== undefined ? `, heap limit ${heapLimitMb} MiB` : ''}`,
      ...(config.REVIEW_BUILD_ID !== undefined ? { deployment: `${deploymentName(config)}:${config.REVIEW_BUILD_ID}` } : {}),
      workspaces: workers.workspaces.dir,
      metrics: config.REVIEW_METRICS_ADDRESS,
      health: config.REVIEW_HEALTH_ADDRESS,
    },
    'review worker started',
  );
  try {
    await workers.run();
  } finally {
    health?.close();
    await connection.close();
    logger.info('review worker stopped');
  }
}

if (require.main === module) {
  runWorker().catch((err: unknown) => {
    if (err instanceof WorkerConfigError) console.error(err.message);
    else console.error('review worker failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
