/**
 * The benchmark's worker process: the project's per-tier workers (`createReviewWorkers`, real activities)
 * on a prebuilt bundle, answering the parent's requests for its CPU time and memory over IPC.
 * Settings come from the environment like `npm run worker`, plus BENCH_TEMPORAL_ADDRESS and BENCH_BUNDLE.
 */
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from '../../workers/config';
import { applyHeapLimit } from '../../workers/memory';
import { createWorkerLogger, PinoTemporalLogger } from '../../workers/logging';
import { createReviewWorkers } from '../../workers/review-workers';
import { threadCpu } from './proc';
import type { ChildReport, ParentRequest } from './worker-messages';

function send(message: ChildReport): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const address = process.env.BENCH_TEMPORAL_ADDRESS;
  const bundle = process.env.BENCH_BUNDLE;
  if (!address || !bundle) throw new Error('BENCH_TEMPORAL_ADDRESS and BENCH_BUNDLE must be set');
  const config = loadWorkerConfig(process.env);
  applyHeapLimit(config);
  const logger = createWorkerLogger(config.LOG_LEVEL);
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) } },
  });
  const connection = await NativeConnection.connect({ address });
  const workers = await createReviewWorkers({ connection, config, logger, workflowBundle: { codePath: bundle } });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  process.on('message', (request: ParentRequest) => {
    if (request.type === 'stats') {
      const rss = process.memoryUsage().rss;
      peakRss = Math.max(peakRss, rss);
      const cpu = process.cpuUsage();
      send({ type: 'stats', id: request.id, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: rss, peakRssBytes: peakRss, threads: threadCpu(process.pid) });
      peakRss = rss;
    } else if (request.type === 'stop') {
      workers.shutdown();
    }
  });
  const running = workers.run();
  const readyCheck = setInterval(() => {
    if (workers.ready()) {
      clearInterval(readyCheck);
      send({ type: 'ready' });
    }
  }, 50);
  try {
    await running;
  } finally {
    clearInterval(readyCheck);
    clearInterval(sampler);
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench worker failed:', err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
