/** Worker settings from the environment, validated with zod at start-up. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../src/definition/schema';
import { parseDuration } from '../src/definition/duration';
import { INSTALLATION_NAME } from '../src/client/installation-name';
import { listenAddressProblem } from '../src/http/listen-address';
import { linkSigningFromEnv } from '../src/ui/link-config';

const positiveInt = (name: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(10_000, `${name} must be at most 10000`)
    .default(fallback);

/** host:port to listen on, or `off`; the SDK core's metrics exporter takes an IP address only. */
const address = (name: string, example: string, ipOnly = false) =>
  z.string().superRefine((value, ctx) => {
    const problem = value === 'off' ? undefined : listenAddressProblem(value, example, ipOnly);
    if (problem) ctx.addIssue({ code: 'custom', message: `${name} ${problem}, or off` });
  });

const duration = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        return parseDuration(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration like 30s or 2m` });
        return z.NEVER;
      }
    });

const onOff = (name: string, fallback: 'on' | 'off') =>
  z
    .enum(['on', 'off'], { message: `${name} must be on or off` })
    .default(fallback)
    .transform((value) => value === 'on');

/** `512MiB`, `2GiB`, and Kubernetes' notation too (`512Mi`, `1Gi`, `1G`), the one a container's memory limit is written in. */
function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `path` is a writable directory, or could be created: its nearest existing ancestor is a writable directory. */
function creatable(path: string): boolean {
  for (let at = resolvePath(path); ; at = dirname(at)) {
    if (existsSync(at)) {
      try {
        accessSync(at, constants.W_OK);
        return statSync(at).isDirectory();
      } catch {
        return false;
      }
    }
    if (dirname(at) === at) return false;
  }
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, k: 1e3, m: 1e6, g: 1e9, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30 };

const bytes = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
      const unit = UNITS[(match?.[2] || 'mib').toLowerCase()];
      if (!match || unit === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an amount of memory like 512MiB or 2GiB` });
        return z.NEVER;
      }
      return Math.round(Number(match[1]) * unit);
    });

export const WorkerConfigSchema = z.object({
  REVIEW_TASK_QUEUE_PREFIX: z
    .string()
    .regex(INSTALLATION_NAME, 'REVIEW_TASK_QUEUE_PREFIX may hold letters, digits, . _ and -')
    .default('review'),
  REVIEW_WORKFLOWS: onOff('REVIEW_WORKFLOWS', 'on').describe('Run reviews (and the steps on their own task queue): `off` for a fleet that only runs tier steps'),
  REVIEW_STEP_SLOTS: positiveInt('REVIEW_STEP_SLOTS', 20),
  REVIEW_STEP_POLLERS: z.coerce
    .number({ message: 'REVIEW_STEP_POLLERS must be a whole number' })
    .int('REVIEW_STEP_POLLERS must be a whole number')
    .min(1, 'REVIEW_STEP_POLLERS must be at least 1')
    .max(100, 'REVIEW_STEP_POLLERS must be at most 100')
    .optional(),
  REVIEW_TIERS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      if (value === 'none') return [] as Priority[];
      const tiers = value.split(',').map((t) => t.trim()).filter(Boolean);
      const bad = tiers.filter((t) => !(PRIORITIES as readonly string[]).includes(t));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `REVIEW_TIERS must list tiers from ${PRIORITIES.join(', ')} (got ${value})` });
        return z.NEVER;
      }
      return [...new Set(tiers)] as Priority[];
    }),
  REVIEW_SLOTS_CRITICAL: positiveInt('REVIEW_SLOTS_CRITICAL', 8),
  REVIEW_SLOTS_HIGH: positiveInt('REVIEW_SLOTS_HIGH', 6),
  REVIEW_SLOTS_NORMAL: positiveInt('REVIEW_SLOTS_NORMAL', 4),
  REVIEW_SLOTS_LOW: positiveInt('REVIEW_SLOTS_LOW', 2),
  REVIEW_TIER_WORKFLOWS: onOff('REVIEW_TIER_WORKFLOWS', 'off').describe('Also run reviews on the tier queues (reviews started by versions before one review queue)'),
  REVIEW_WORKFLOW_SLOTS: positiveInt('REVIEW_WORKFLOW_SLOTS', 20),
  REVIEW_WORKER_MEMORY: bytes('REVIEW_WORKER_MEMORY', '280MiB'),
  REVIEW_CACHED_REVIEWS: z.coerce
    .number({ message: 'REVIEW_CACHED_REVIEWS must be a whole number' })
    .int('REVIEW_CACHED_REVIEWS must be a whole number')
    .min(2, 'REVIEW_CACHED_REVIEWS must be at least 2')
    .max(1_000_000, 'REVIEW_CACHED_REVIEWS must be at most 1000000')
    .optional(),
  REVIEW_DEPLOYMENT_NAME: z
    .string()
    .regex(INSTALLATION_NAME, 'REVIEW_DEPLOYMENT_NAME may hold letters, digits, . _ and -')
    .optional(),
  REVIEW_BUILD_ID: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._+-]*$/, 'REVIEW_BUILD_ID may hold letters, digits, . _ + and -')
    .max(255)
    .optional(),
  REVIEW_SECRETS_FILE: z
    .string()
    .refine(readable, { error: (issue) => `REVIEW_SECRETS_FILE: ${String(issue.input)} cannot be read by this worker (missing, or not its to read): steps reading secrets from it would fail` })
    .optional()
    .describe('A file of secrets for ${{ secrets.NAME }}: a JSON object or NAME=value lines (REVIEW_SECRET_<NAME> variables come first)'),
  REVIEW_WORKSPACE_ROOT: z
    .string()
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'REVIEW_WORKSPACE_ROOT must be an absolute path')
    .refine(creatable, { error: (issue) => `REVIEW_WORKSPACE_ROOT: this worker cannot create or write ${String(issue.input)}: give a directory it may write, where checkouts live` })
    .optional()
    .describe('Where checkouts live (default ~/.local/share/review-orchestrator/workspaces)'),
  REVIEW_WORKSPACE_SLOTS: positiveInt('REVIEW_WORKSPACE_SLOTS', 4),
  REVIEW_EXECUTOR_CATALOG: z
    .string()
    .optional()
    .describe('Where the worker writes its executor catalog at start-up, for review validate and the client (default ~/.local/share/review-orchestrator/executors.json; off for none)'),
  REVIEW_METRICS_ADDRESS: address('REVIEW_METRICS_ADDRESS', '127.0.0.1:9464', true).default('127.0.0.1:9464'),
  REVIEW_HEALTH_ADDRESS: address('REVIEW_HEALTH_ADDRESS', '127.0.0.1:8081').default('127.0.0.1:8081'),
  REVIEW_SHUTDOWN_GRACE: duration('REVIEW_SHUTDOWN_GRACE', '30s'),
  REVIEW_WORKFLOW_BUNDLE: z
    .string()
    .refine(readable, { error: (issue) => `REVIEW_WORKFLOW_BUNDLE: ${String(issue.input)} cannot be read: give the path of a bundle built with bundleReviewWorkflows(), or unset it to build one at start-up` })
    .optional()
    .describe('Path of a prebuilt workflow bundle; built at start-up when unset'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type WorkerConfig = z.output<typeof WorkerConfigSchema>;

export class WorkerConfigError extends Error {
  constructor(issues: string[]) {
    super(`invalid worker configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'WorkerConfigError';
  }
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const relevant = Object.fromEntries(
    Object.keys(WorkerConfigSchema.shape).flatMap((key) => {
      const value = env[key]?.trim();
      return value ? [[key, key === 'LOG_LEVEL' ? value.toLowerCase() : value]] : [];
    }),
  );
  const parsed = WorkerConfigSchema.safeParse(relevant);
  if (parsed.success && !parsed.data.REVIEW_WORKFLOWS && parsed.data.REVIEW_TIERS.length === 0) {
    throw new WorkerConfigError(['REVIEW_WORKFLOWS is off and REVIEW_TIERS lists no tier: this worker would poll nothing; set REVIEW_TIERS (e.g. critical) or turn REVIEW_WORKFLOWS on']);
  }
  if (parsed.success) {
    const conflicts = settingConflicts(parsed.data);
    if (conflicts.length > 0) throw new WorkerConfigError(conflicts);
  }
  if (parsed.success && parsed.data.REVIEW_DEPLOYMENT_NAME !== undefined && parsed.data.REVIEW_BUILD_ID === undefined) {
    throw new WorkerConfigError(['REVIEW_DEPLOYMENT_NAME is set without REVIEW_BUILD_ID: a versioned worker needs both (the build id names this version, e.g. the git commit)']);
  }
  if (!parsed.success) {
    throw new WorkerConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        return issue.message.includes(key) ? issue.message : `${key}: ${issue.message} (got ${JSON.stringify(relevant[key])})`;
      }),
    );
  }
  try {
    linkSigningFromEnv(env);
  } catch (error) {
    throw new WorkerConfigError([`approval links in reminders: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parsed.data;
}

/** Settings each valid alone that together do nothing, or not what they say. */
function settingConflicts(config: WorkerConfig): string[] {
  const out: string[] = [];
  if (config.REVIEW_STEP_POLLERS !== undefined && config.REVIEW_STEP_POLLERS > config.REVIEW_STEP_SLOTS) {
    out.push(`REVIEW_STEP_POLLERS (${config.REVIEW_STEP_POLLERS}) is above REVIEW_STEP_SLOTS (${config.REVIEW_STEP_SLOTS}): pollers would hold every slot, and no step would be taken eagerly; use at most one poller per slot (one per 20 by default)`);
  }
  if (config.REVIEW_WORKFLOW_SLOTS < 2) out.push('REVIEW_WORKFLOW_SLOTS must be at least 2: Temporal needs one slot for sticky and one for normal workflow tasks (it would raise 1 to 2)');
  if (config.REVIEW_TIER_WORKFLOWS && config.REVIEW_TIERS.length === 0) {
    out.push('REVIEW_TIER_WORKFLOWS is on but REVIEW_TIERS lists no tier: it runs reviews on the tier queues this worker polls; list them in REVIEW_TIERS, or turn it off');
  }
  return out;
}

export function slotsFor(config: WorkerConfig, tier: Priority): number {
  const slots: Record<Priority, number> = {
    critical: config.REVIEW_SLOTS_CRITICAL,
    high: config.REVIEW_SLOTS_HIGH,
    normal: config.REVIEW_SLOTS_NORMAL,
    low: config.REVIEW_SLOTS_LOW,
  };
  return slots[tier];
}

/** Reviews kept in the worker's cache, replayed from history when evicted and needed again. */
export function cachedReviews(config: WorkerConfig): number {
  if (config.REVIEW_CACHED_REVIEWS !== undefined) return config.REVIEW_CACHED_REVIEWS;
  return Math.max(10, Math.floor((config.REVIEW_WORKER_MEMORY - WORKER_BASE_BYTES) / CACHED_REVIEW_BYTES));
}

/**
 * What a worker process holds besides its cache of reviews: Node, the SDK core, the workflow bundle's context, and
 * the garbage of replaying evicted reviews (RSS with 1,000 reviews open and 50 cached, `npm run bench -- --only open-reviews`).
 */
export const WORKER_BASE_BYTES = 256 * 2 ** 20;
/**
 * What one more cached review at a gate adds to the worker's RSS (same benchmark, cache of 50 against 237: 175–230 KB
 * since the workers share the workflow modules among their reviews, 384 KiB before).
 */
export const CACHED_REVIEW_BYTES = 256 * 2 ** 10;
