/**
 * What operators look at before scaling or retiring workers: the queue wait on each task queue of an
 * installation, and how many reviews are still open on each version of its Worker Deployment.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { PRIORITIES } from '../definition/schema';
import { INSTALLATION_NAME, INSTALLATION_NAME_RULE } from './installation-name';
import { reviewQuery } from './search';

const { TaskQueueType, TaskQueueKind, WorkerDeploymentVersionStatus, VersionDrainageStatus } = temporal.api.enums.v1;
const GRPC_NOT_FOUND = 5;

/** The search attribute Temporal sets on a workflow to the version it runs on, as `<deployment>:<build id>`. */
export const DEPLOYMENT_VERSION_ATTRIBUTE = 'TemporalWorkerDeploymentVersion';

/** A task queue prefix or deployment name given by an operator, refused with what is wrong and how to fix it. */
export class OperationsInputError extends Error {
  constructor(
    readonly field: 'taskQueuePrefix' | 'deployment',
    message: string,
  ) {
    super(message);
    this.name = 'OperationsInputError';
  }
}

const FIELD_NAMES = { taskQueuePrefix: 'task queue prefix', deployment: 'deployment name' } as const;

/** Refuses a task queue prefix or deployment name that no worker could have (REVIEW_TASK_QUEUE_PREFIX / REVIEW_DEPLOYMENT_NAME rules). */
export function checkName(field: OperationsInputError['field'], value: string): void {
  if (!INSTALLATION_NAME.test(value)) {
    throw new OperationsInputError(
      field,
      `the ${FIELD_NAMES[field]} ${JSON.stringify(value)} is not valid: ${INSTALLATION_NAME_RULE}`,
    );
  }
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The task queues of an installation: the review queue `<prefix>` and the tier step queues `<prefix>-<tier>`. */
export function installationQueues(prefix: string): string[] {
  checkName('taskQueuePrefix', prefix);
  return [prefix, ...PRIORITIES.map((tier) => `${prefix}-${tier}`)];
}

// ---------------------------------------------------------------------------------------------------------------
// Queue wait

export type QueueKind = 'workflow' | 'activity';

export interface QueueStats {
  taskQueue: string;
  /** `workflow`: review tasks; `activity`: steps. */
  type: QueueKind;
  /** Workers that polled the queue recently (Temporal keeps pollers for a few minutes after they stop). */
  pollers: number;
  /** Tasks waiting for a worker. */
  backlog: number;
  /** How long the oldest waiting task has waited, in milliseconds. */
  backlogAgeMs: number;
  /** Tasks added and dispatched per second (averaged over the last 30 s; eager steps and sticky review tasks are not counted). */
  addRate: number;
  dispatchRate: number;
  /** The backlog by priority key (1 critical … 4 low), where the server reports it. */
  backlogByPriority?: Record<string, number>;
}

function durationMs(d: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!d) return 0;
  const seconds = Number(d.seconds ?? 0);
  return Math.round(seconds * 1000 + (d.nanos ?? 0) / 1e6);
}

const round = (n: number | null | undefined): number => Math.round((n ?? 0) * 100) / 100;

/** Queue wait of each named task queue, for its workflow and activity task types. */
export async function queueStats(client: Client, taskQueues: readonly string[]): Promise<QueueStats[]> {
  const namespace = client.options.namespace;
  const kinds: [QueueKind, temporal.api.enums.v1.TaskQueueType][] = [
    ['workflow', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    ['activity', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ];
  const requests = taskQueues.flatMap((taskQueue) => kinds.map(([type, code]) => ({ taskQueue, type, code })));
  return Promise.all(
    requests.map(async ({ taskQueue, type, code }): Promise<QueueStats> => {
      const response = await client.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: code,
        reportStats: true,
      });
      const stats = response.stats;
      const byPriority = Object.entries(response.statsByPriorityKey ?? {})
        .map(([key, s]) => [key, Number(s.approximateBacklogCount ?? 0)] as const)
        .filter(([, n]) => n > 0);
      return {
        taskQueue,
        type,
        pollers: response.pollers?.length ?? 0,
        backlog: Number(stats?.approximateBacklogCount ?? 0),
        backlogAgeMs: durationMs(stats?.approximateBacklogAge),
        addRate: round(stats?.tasksAddRate),
        dispatchRate: round(stats?.tasksDispatchRate),
        ...(byPriority.length > 0 ? { backlogByPriority: Object.fromEntries(byPriority) } : {}),
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Open reviews per deployment version

export type VersionStatus = 'current' | 'ramping' | 'draining' | 'drained' | 'inactive' | 'unknown';

export interface VersionReport {
  buildId: string;
  /** `<deployment>:<build id>`, as in the TemporalWorkerDeploymentVersion search attribute. */
  version: string;
  status: VersionStatus;
  /** Share of new reviews the version gets while it ramps, in percent. */
  rampPercentage?: number;
  createTime?: string;
  /** Open reviews pinned to (running on) this version. */
  openReviews: number;
  /**
   * Drained (it was current once, is no longer, and no review runs on it): its workers can be shut down and the
   * version deleted. A draining version with no open reviews becomes drained at Temporal's next check (every few
   * minutes). A version never made current (inactive) is not: it is usually the deploy about to become current.
   */
  retirable: boolean;
}

export interface DeploymentReport {
  deployment: string;
  /** Whether the deployment exists (a worker with REVIEW_BUILD_ID has polled). */
  found: boolean;
  currentBuildId?: string;
  rampingBuildId?: string;
  versions: VersionReport[];
  /** Open reviews of the installation's task queues that run on no version (unversioned workers). */
  unversionedOpenReviews: number;
}

const STATUS_NAMES: Partial<Record<number, VersionStatus>> = {
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT]: 'current',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING]: 'ramping',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING]: 'draining',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]: 'drained',
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE]: 'inactive',
};

function timestamp(t: { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  return new Date(durationMs(t)).toISOString();
}

/** The visibility query of open reviews on the given task queues (and, when given, one deployment version). */
export function openReviewsQuery(taskQueues: readonly string[], version?: string | null): string {
  const clauses = [reviewQuery({ open: true }), `TaskQueue IN (${taskQueues.map(quote).join(', ')})`];
  if (version === null) clauses.push(`${DEPLOYMENT_VERSION_ATTRIBUTE} IS NULL`);
  else if (version !== undefined) clauses.push(`${DEPLOYMENT_VERSION_ATTRIBUTE} = ${quote(version)}`);
  return clauses.join(' AND ');
}

async function countOpen(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/**
 * Every version of the deployment with its routing status and the number of open reviews on it, plus the open
 * reviews on no version. Counts come from visibility, which trails the server by a moment.
 */
export async function deploymentReport(client: Client, options: { deployment: string; taskQueuePrefix: string }): Promise<DeploymentReport> {
  checkName('deployment', options.deployment);
  const queues = installationQueues(options.taskQueuePrefix);
  const namespace = client.options.namespace;
  let info: temporal.api.deployment.v1.IWorkerDeploymentInfo | null | undefined;
  try {
    info = (await client.workflowService.describeWorkerDeployment({ namespace, deploymentName: options.deployment })).workerDeploymentInfo;
  } catch (error) {
    if (!(isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND)) throw error;
  }
  const routing = info?.routingConfig;
  const currentBuildId = routing?.currentDeploymentVersion?.buildId || undefined;
  const rampingBuildId = routing?.rampingDeploymentVersion?.buildId || undefined;
  const summaries = info?.versionSummaries ?? [];
  const versions = await Promise.all(
    summaries.map(async (summary): Promise<VersionReport> => {
      const buildId = summary.deploymentVersion?.buildId ?? summary.version?.split(':').slice(1).join(':') ?? '';
      const version = `${options.deployment}:${buildId}`;
      let status: VersionStatus = STATUS_NAMES[summary.status ?? 0] ?? 'unknown';
      if (status === 'unknown') {
        if (buildId === currentBuildId) status = 'current';
        else if (buildId === rampingBuildId) status = 'ramping';
        else if (summary.drainageStatus === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINING) status = 'draining';
        else if (summary.drainageStatus === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED) status = 'drained';
      }
      const openReviews = await countOpen(client, openReviewsQuery(queues, version));
      const created = timestamp(summary.createTime);
      return {
        buildId,
        version,
        status,
        ...(buildId === rampingBuildId ? { rampPercentage: round(routing?.rampingVersionPercentage) } : {}),
        ...(created !== undefined ? { createTime: created } : {}),
        openReviews,
        retirable: openReviews === 0 && status === 'drained',
      };
    }),
  );
  versions.sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? '') || a.buildId.localeCompare(b.buildId));
  return {
    deployment: options.deployment,
    found: info !== undefined && info !== null,
    ...(currentBuildId !== undefined ? { currentBuildId } : {}),
    ...(rampingBuildId !== undefined ? { rampingBuildId } : {}),
    versions,
    unversionedOpenReviews: await countOpen(client, openReviewsQuery(queues, null)),
  };
}
