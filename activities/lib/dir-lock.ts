/**
 * A lock on a path shared by the processes of a machine (and the tasks of one process): a directory
 * created with mkdir, which is atomic; a lock left by a process that died is taken over once older
 * than `staleMs`.
 */
import { mkdir, rm, stat } from 'node:fs/promises';

const chains = new Map<string, Promise<unknown>>();

export interface DirLockOptions {
  staleMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

async function acquire(lock: string, options: DirLockOptions): Promise<void> {
  const staleMs = options.staleMs ?? 10 * 60_000;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled');
    try {
      await mkdir(lock);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const info = await stat(lock).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleMs) {
      await rm(lock, { recursive: true, force: true }).catch(() => undefined);
      continue;
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
}

/** Runs `fn` holding `<path>.lock`: one at a time per path in this process, and across processes. */
export async function withDirLock<T>(path: string, fn: () => Promise<T>, options: DirLockOptions = {}): Promise<T> {
  const lock = `${path}.lock`;
  const previous = chains.get(lock) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(async () => {
    await acquire(lock, options);
    try {
      return await fn();
    } finally {
      await rm(lock, { recursive: true, force: true }).catch(() => undefined);
    }
  });
  const tail = run.catch(() => undefined);
  chains.set(lock, tail);
  void tail.then(() => {
    if (chains.get(lock) === tail) chains.delete(lock);
  });
  return run;
}
