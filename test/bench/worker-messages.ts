/** What the benchmark and its worker process say to each other over IPC. */

export type ParentRequest = { type: 'stats'; id: number } | { type: 'stop' };

export interface WorkerStats {
  /** User plus system CPU of the whole process (JS, workflow threads and the SDK's Rust core). */
  cpuSeconds: number;
  rssBytes: number;
  /** Highest RSS sampled (every 100 ms) since the previous stats request. */
  peakRssBytes: number;
}

export type ChildReport = { type: 'ready' } | ({ type: 'stats'; id: number } & WorkerStats);
