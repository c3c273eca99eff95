/**
 * `npm run worker`: runs the review workflows and steps for every priority tier in one process.
 * Settings come from the environment (see README, "Configuration"); Temporal connection settings
 * from Temporal's standard environment configuration (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles).
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import type { Executor } from '../activities/executor';
import { loadWorkerConfig, WorkerConfigError, type WorkerConfig } from './config';
import { startHealthServer } from './health';
import { createWorkerLogger, PinoTemporalLogger } from './logging';
import { applyHeapLimit, mainHeapAdvice } from './memory';
import { createReviewWorkers, deploymentName } from './review-workers';

export interface RunWorkerOptions {
  executors?: Executor[];
  env?: NodeJS.ProcessEnv;
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const config: WorkerConfig = loadWorkerConfig(options.env);
  const heapLimitMb = applyHeapLimit(config);
  const logger = createWorkerLogger(config.LOG_LEVEL);
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(config.REVIEW_METRICS_ADDRESS === 'off'
        ? {}
        : { metrics: { prometheus: { bindAddress: config.REVIEW_METRICS_ADDRESS, useSecondsForDurations: false } } }),
    },
  });
  const advice = mainHeapAdvice(config);
  if (advice) logger.warn(advice);
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const workers = await createReviewWorkers({
    connection,
    namespace,
    config,
    executors: options.executors,
    logger,
    workflowBundle: config.REVIEW_WORKFLOW_BUNDLE ? { codePath: config.REVIEW_WORKFLOW_BUNDLE } : undefined,
  });
  const health =
    config.REVIEW_HEALTH_ADDRESS === 'off'
      ? undefined
      : await startHealthServer(...splitAddress(config.REVIEW_HEALTH_ADDRESS), { ready: workers.ready, details: workers.states });
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
