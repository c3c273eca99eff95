/** One Temporal worker per priority tier, sharing one connection, one workflow bundle and one activity set. */
import { bundleWorkflowCode, Runtime, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, createRegistry } from '../activities';
import type { SecretResolver } from '../activities/secrets';
import { WorkspaceHost } from '../activities/workspace-host';
import { dataConverterFromEnv, ENCRYPTED_FAILURE_CONVERTER_PATH } from '../src/codec';
import type { Executor } from '../activities/executor';
import type { Priority } from '../src/definition/schema';
import { slotsFor, type WorkerConfig } from './config';
import { createStepMetrics } from './metrics';
import { StepInterceptor } from './step-interceptor';

export interface ReviewWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  config: WorkerConfig;
  /** Executors registered besides the built-ins. */
  executors?: Executor[];
  /** Where `${{ secrets.NAME }}` values come from (default: REVIEW_SECRET_<NAME>, then REVIEW_SECRETS_FILE). */
  secrets?: SecretResolver;
  logger: Logger;
  /** A prebuilt workflow bundle; built from `workflows/` when omitted. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Defaults to the encrypting converter when REVIEW_ENCRYPTION_KEYS(_FILE) is set. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** Where this process keeps its checkouts (default: REVIEW_WORKSPACE_ROOT, else ~/.local/share/review-orchestrator/workspaces). */
  workspaceRoot?: string;
}

export interface ReviewWorkers {
  tiers: Priority[];
  workers: Worker[];
  /** The task queue only this process polls (steps that run in one of its workspaces), and its workspaces. */
  workspaces: WorkspaceHost;
  run(): Promise<void>;
  shutdown(): void;
  ready(): boolean;
  states(): Record<string, string>;
}

export async function bundleReviewWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: ENCRYPTED_FAILURE_CONVERTER_PATH,
    logger: Runtime.instance().logger,
  });
}

export async function createReviewWorkers(options: ReviewWorkersOptions): Promise<ReviewWorkers> {
  const { config } = options;
  const registry = createRegistry(options.executors ?? []);
  const { host: workspaces, orphans } = await WorkspaceHost.start({
    root: options.workspaceRoot ?? config.REVIEW_WORKSPACE_ROOT,
    prefix: config.REVIEW_TASK_QUEUE_PREFIX,
  });
  if (orphans.removed.length > 0) options.logger.info({ removed: orphans.removed }, 'removed workspaces of workers that are gone');
  const activities = createActivities(registry, { logger: options.logger, workspaces, ...(options.secrets ? { secrets: options.secrets } : {}) });
  const bundle = options.workflowBundle ?? (await bundleReviewWorkflows());
  const metrics = createStepMetrics(Runtime.instance().metricMeter);
  const tiers = config.REVIEW_TIERS;
  const dataConverter = options.dataConverter ?? dataConverterFromEnv();
  const workers = await Promise.all(
    tiers.map((tier) =>
      Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        taskQueue: `${config.REVIEW_TASK_QUEUE_PREFIX}-${tier}`,
        workflowBundle: bundle,
        activities,
        ...(dataConverter ? { dataConverter } : {}),
        maxConcurrentActivityTaskExecutions: slotsFor(config, tier),
        maxConcurrentWorkflowTaskExecutions: config.REVIEW_WORKFLOW_SLOTS,
        shutdownGraceTime: config.REVIEW_SHUTDOWN_GRACE,
        interceptors: { activity: [(ctx) => ({ inbound: new StepInterceptor(ctx, metrics) })] },
      }),
    ),
  );
  // Activities only, on a queue no other process polls: the steps that run in this process's workspaces.
  workers.push(
    await Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: workspaces.queue,
      activities,
      ...(dataConverter ? { dataConverter } : {}),
      maxConcurrentActivityTaskExecutions: config.REVIEW_WORKSPACE_SLOTS,
      shutdownGraceTime: config.REVIEW_SHUTDOWN_GRACE,
      interceptors: { activity: [(ctx) => ({ inbound: new StepInterceptor(ctx, metrics) })] },
    }),
  );
  const states = () => ({
    ...Object.fromEntries(tiers.map((tier, i) => [tier, workers[i]?.getState() ?? 'UNKNOWN'])),
    workspaces: workers[tiers.length]?.getState() ?? 'UNKNOWN',
  });
  return {
    tiers,
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
