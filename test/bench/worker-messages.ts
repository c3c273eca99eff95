/** What the benchmark and its worker process say to each other over IPC. */

export type ParentRequest = { type: 'stats'; id: number } | { type: 'stop' };

export interface WorkerStats {
  /** User plus system CPU of the whole process (JS, workflow threads and the SDK's Rust core). */
  cpuSeconds: number;
  rssBytes: number;
  /** Highest RSS sampled (every 100 ms) since the previous stats request. */
  peakRssBytes: number;
  /** CPU seconds of each of the process's threads (Linux only; empty elsewhere), by thread id. */
  threads: ThreadCpu[];
}

export interface ThreadCpu {
  tid: number;
  name: string;
  cpuSeconds: number;
}

export type ChildReport = { type: 'ready' } | ({ type: 'stats'; id: number } & WorkerStats);
