/**
 * The executor catalog on disk: a JSON file a worker writes at start-up (every executor it registers,
 * with its description and the JSON Schemas of its input and output) and that `review validate` and the
 * client read to check `uses:` and `steps.<id>.output.<path>` without starting a worker. Node only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExecutorCatalogSchema, type ExecutorCatalog, type ExecutorCatalogEntry } from './executor-catalog';

export const EXECUTOR_CATALOG_ENV = 'REVIEW_EXECUTOR_CATALOG';

/** `$XDG_DATA_HOME/review-orchestrator/executors.json`, else `~/.local/share/review-orchestrator/executors.json`. */
export function defaultExecutorCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share');
  return join(data, 'review-orchestrator', 'executors.json');
}

/** The catalog path from the environment: REVIEW_EXECUTOR_CATALOG (`off` for none), else the default. */
export function configuredExecutorCatalogPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[EXECUTOR_CATALOG_ENV]?.trim();
  if (value === 'off' || value === 'none') return undefined;
  return value || defaultExecutorCatalogPath(env);
}

export class ExecutorCatalogError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`executor catalog ${path}: ${reason}`);
    this.name = 'ExecutorCatalogError';
  }
}

/** Reads and checks a catalog file; throws ExecutorCatalogError saying what is wrong (missing, not JSON, not a catalog). */
export function readExecutorCatalog(path: string): ExecutorCatalog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExecutorCatalogError(path, code === 'ENOENT' ? 'file not found (a worker writes it at start-up; see REVIEW_EXECUTOR_CATALOG)' : String(error));
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ExecutorCatalogError(path, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ExecutorCatalogSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ExecutorCatalogError(path, `not an executor catalog: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`);
  }
  return parsed.data as ExecutorCatalog;
}

export interface CatalogLookup {
  catalog?: ExecutorCatalog;
  /** The file read, or the one looked for. */
  path?: string;
}

/**
 * The catalog to validate with: `explicit` (a path that must exist, or a catalog), else the configured
 * path (REVIEW_EXECUTOR_CATALOG or the default) when that file exists; `null` for none.
 */
export function findExecutorCatalog(explicit?: string | ExecutorCatalog | null, env: NodeJS.ProcessEnv = process.env): CatalogLookup {
  if (explicit === null) return {};
  if (typeof explicit === 'object') return { catalog: explicit };
  if (explicit !== undefined) return { catalog: readExecutorCatalog(explicit), path: explicit };
  const path = configuredExecutorCatalogPath(env);
  if (path === undefined) return {};
  try {
    return { catalog: readExecutorCatalog(path), path };
  } catch (error) {
    if (error instanceof ExecutorCatalogError && /file not found/.test(error.message)) return { path };
    throw error;
  }
}

/**
 * Writes `entries` into the catalog at `path`, keeping the entries of other workers that share the file
 * (a type written again replaces its entry). Written to a temporary file and renamed, so readers never
 * see half a file.
 */
export function writeExecutorCatalog(path: string, entries: readonly ExecutorCatalogEntry[], options: { now?: Date } = {}): ExecutorCatalog {
  let existing: ExecutorCatalogEntry[] = [];
  try {
    existing = readExecutorCatalog(path).executors;
  } catch {
    // none yet, or unreadable: start afresh
  }
  const byType = new Map(existing.map((entry) => [entry.type, entry]));
  for (const entry of entries) byType.set(entry.type, entry);
  const catalog: ExecutorCatalog = {
    version: 1,
    writtenAt: (options.now ?? new Date()).toISOString(),
    executors: [...byType.values()].sort((a, b) => a.type.localeCompare(b.type)),
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(catalog, null, 2)}\n`);
  renameSync(temporary, path);
  return catalog;
}
