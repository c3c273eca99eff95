/**
 * Where a worker process keeps review workspaces: its own directory under a root shared with other
 * processes, named after the task queue only it polls (`<prefix>-host-<hostname>-<random>`, new on
 * every start). Checkouts of a review live in `<root>/workers/<queue>/<review>/<step>`; the object
 * cache shared by every process on the root lives in `<root>/cache`. On start, the directories of
 * processes that are gone are removed; on a graceful stop, the process removes its own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir, hostname as osHostname } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

const OWNER_FILE = 'owner.json';
/** How often a live process touches its owner file, and after how long a silent one from another host counts as gone. */
const REFRESH_MS = 5 * 60_000;
const DEFAULT_STALE_MS = 60 * 60_000;

interface Owner {
  pid: number;
  hostname: string;
  queue: string;
  startedAt: string;
}

/** Directories of hosts alive in this process: their pid is alive, but a stopped one may still be cleaned. */
const liveInProcess = new Set<string>();

export function defaultWorkspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME?.trim() || join(homedir(), '.local', 'share');
  return join(data, 'review-orchestrator', 'workspaces');
}

/** Letters, digits, `.`, `_` and `-` only, at most `max` characters. */
export function sanitizeName(text: string, max = 40): string {
  const clean = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, max);
  return clean || 'x';
}

/** A directory name for `text` that is readable, short and unique: sanitised text plus a hash. */
export function hashedName(text: string, max = 40): string {
  return `${sanitizeName(text, max)}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface WorkspaceHostOptions {
  /** Root shared by the worker processes of a machine (REVIEW_WORKSPACE_ROOT). */
  root?: string;
  /** Task queue prefix (REVIEW_TASK_QUEUE_PREFIX). */
  prefix?: string;
  hostname?: string;
  /** A sibling from another host whose owner file was not touched for this long is removed (default 1h). */
  staleAfterMs?: number;
}

export interface CleanedOrphans {
  removed: string[];
  kept: string[];
}

export class WorkspaceHost {
  readonly root: string;
  /** The task queue only this process polls; workspace steps are routed to it. */
  readonly queue: string;
  /** This process's own directory: `<root>/workers/<queue>`. */
  readonly dir: string;
  readonly cacheDir: string;
  private readonly host: string;
  private readonly staleAfterMs: number;
  private refresher: NodeJS.Timeout | undefined;

  private constructor(options: WorkspaceHostOptions) {
    this.root = resolve(options.root ?? defaultWorkspaceRoot());
    this.host = options.hostname ?? osHostname();
    this.queue = `${options.prefix ?? 'review'}-host-${sanitizeName(this.host, 60)}-${randomBytes(4).toString('hex')}`;
    this.dir = join(this.root, 'workers', this.queue);
    this.cacheDir = join(this.root, 'cache');
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_MS;
  }

  /** Creates this process's directory and owner file, then removes what processes that are gone left behind. */
  static async start(options: WorkspaceHostOptions = {}): Promise<{ host: WorkspaceHost; orphans: CleanedOrphans }> {
    const host = new WorkspaceHost(options);
    await mkdir(host.dir, { recursive: true });
    await mkdir(host.cacheDir, { recursive: true });
    const owner: Owner = { pid: process.pid, hostname: host.host, queue: host.queue, startedAt: new Date().toISOString() };
    await writeFile(join(host.dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
    liveInProcess.add(host.dir);
    host.refresher = setInterval(() => {
      const now = new Date();
      utimes(join(host.dir, OWNER_FILE), now, now).catch(() => undefined);
    }, REFRESH_MS);
    host.refresher.unref();
    const orphans = await host.cleanOrphans();
    return { host, orphans };
  }

  /** Removes sibling directories whose process is gone (same host: pid not alive; other hosts: owner file stale). */
  async cleanOrphans(now = Date.now()): Promise<CleanedOrphans> {
    const workers = join(this.root, 'workers');
    const result: CleanedOrphans = { removed: [], kept: [] };
    const entries = await readdir(workers, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const dir = join(workers, entry.name);
      if (dir === this.dir) continue;
      if (await this.isOrphan(dir, now)) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        result.removed.push(dir);
      } else {
        result.kept.push(dir);
      }
    }
    return result;
  }

  private async isOrphan(dir: string, now: number): Promise<boolean> {
    const file = join(dir, OWNER_FILE);
    let owner: Partial<Owner> | undefined;
    let touched: number;
    try {
      owner = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
      touched = (await stat(file)).mtimeMs;
    } catch {
      const info = await stat(dir).catch(() => undefined);
      // No owner file: a directory being created right now has a fresh mtime; an old one is debris.
      return info === undefined || now - info.mtimeMs > this.staleAfterMs;
    }
    if (owner.hostname === this.host && typeof owner.pid === 'number') {
      if (owner.pid === process.pid) return !liveInProcess.has(dir);
      return !pidAlive(owner.pid);
    }
    return now - touched > this.staleAfterMs;
  }

  /** A fresh directory for one checkout of `reviewId`'s step `stepId`: `<dir>/<review>/<step>` (`-2`, `-3`… when taken). */
  async allocate(reviewId: string, stepId: string): Promise<{ workspace: string; path: string }> {
    const workspace = join(this.dir, hashedName(reviewId));
    await mkdir(workspace, { recursive: true });
    const base = sanitizeName(stepId, 64);
    for (let n = 1; ; n++) {
      const path = join(workspace, n === 1 ? base : `${base}-${n}`);
      try {
        await mkdir(path);
        return { workspace, path };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  /** Whether `dir` is a review directory of this process (never anything else may be removed). */
  owns(dir: string): boolean {
    const rel = relative(this.dir, resolve(dir));
    return rel !== '' && !rel.startsWith('..') && !rel.includes(sep) && rel !== OWNER_FILE;
  }

  /** Removes a review directory of this process; false when it is not one. */
  async remove(dir: string): Promise<boolean> {
    if (!this.owns(dir)) return false;
    await rm(dir, { recursive: true, force: true });
    return true;
  }

  /** On a graceful stop: nobody will poll this queue again, so its workspaces go too. */
  async close(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    liveInProcess.delete(this.dir);
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
