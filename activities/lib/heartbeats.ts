/** Heartbeats on a timer so that cancellation reaches every step, whether or not its executor heartbeats. */

const DEFAULT_INTERVAL_MS = 5_000;
const MIN_INTERVAL_MS = 100;

export interface Heartbeats {
  beat(details?: unknown): void;
  stop(): void;
}

export function heartbeatInterval(heartbeatTimeoutMs: number | undefined): number {
  if (!heartbeatTimeoutMs || heartbeatTimeoutMs <= 0) return DEFAULT_INTERVAL_MS;
  return Math.max(MIN_INTERVAL_MS, Math.min(DEFAULT_INTERVAL_MS, Math.floor(heartbeatTimeoutMs / 3)));
}

/** Sends `send(last details)` every `intervalMs` until stopped; `beat` sends at once and becomes the last. */
export function startHeartbeats(send: (details?: unknown) => void, intervalMs: number): Heartbeats {
  let last: unknown;
  const timer = setInterval(() => send(last), intervalMs);
  timer.unref();
  return {
    beat(details) {
      last = details;
      send(details);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
