/** 5. Many open reviews: a thousand waiting at an approval gate, queried, then all approved. */
import type { WorkflowHandle } from '@temporalio/client';
import { approveSignal, statusQuery } from '../../../workflows/messages';
import type { Scenario, ScenarioContext } from '../context';
import { gated } from '../pipelines';
import type { Figure } from '../report';
import { startOurs } from '../starters';
import { mapLimit, percentile, round, sleep } from '../stats';
import { withWorker } from '../worker-process';
import { cachedReviews, loadWorkerConfig } from '../../../workers/config';

const MB = 2 ** 20;

async function waitForCount(ctx: ScenarioContext, query: string, wanted: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { count } = await ctx.env.client.workflow.count(query);
    if (count >= wanted || Date.now() > deadline) return count;
    await sleep(250);
  }
}

export const openReviewsScenario: Scenario = {
  name: 'open-reviews',
  async run(ctx) {
    const reviews = ctx.options.openReviews ?? (ctx.quick ? 100 : 1_000);
    const queries = ctx.quick ? 50 : 300;
    const cache = cachedReviews(loadWorkerConfig({}));
    const prefix = ctx.prefix('open');
    const pipeline = gated(prefix);
    const measured = await withWorker(ctx.env, { prefix, stepSlots: 20, ...(process.env.BENCH_CACHE ? { cachedReviews: Number(process.env.BENCH_CACHE) } : {}) }, async (worker) => {
      const idleRss = (await worker.stats()).rssBytes;
      const startBegan = Date.now();
      const handles: WorkflowHandle[] = await mapLimit(
        Array.from({ length: reviews }, (_, i) => i),
        50,
        (i) => startOurs(ctx.env.client, pipeline, { prefix, id: `${prefix}-${i}` }),
      );
      const waiting = await waitForCount(ctx, `ReviewPipeline="${pipeline.name}" AND ReviewStatus="awaiting_approval"`, reviews, Math.max(300_000, reviews * 100));
      const allWaitingSeconds = (Date.now() - startBegan) / 1000;
      const open = await worker.stats();
      const latencies: number[] = [];
      for (let i = 0; i < queries; i++) {
        const handle = handles[Math.floor((i * reviews) / queries)] as WorkflowHandle;
        const t0 = performance.now();
        await handle.query(statusQuery);
        latencies.push(performance.now() - t0);
      }
      const afterQueries = await worker.stats();
      const drainBegan = Date.now();
      await mapLimit(handles, 50, (h) => h.signal(approveSignal, { step: 'approval', by: 'bench' }));
      const signalledSeconds = (Date.now() - drainBegan) / 1000;
      await mapLimit(handles, 200, (h) => h.result());
      const drainSeconds = (Date.now() - drainBegan) / 1000;
      const drained = await worker.stats();
      return {
        waiting,
        allWaitingSeconds,
        idleRssMb: idleRss / MB,
        openRssMb: open.rssBytes / MB,
        peakRssMb: Math.max(open.peakRssBytes, afterQueries.peakRssBytes, drained.peakRssBytes) / MB,
        /** The peak until all reviews waited at the gate; the peak over the whole run is reached later if greater. */
        peakWhileStartingRssMb: open.peakRssBytes / MB,
        drainedRssMb: drained.rssBytes / MB,
        queryP50Ms: percentile(latencies, 50),
        queryP95Ms: percentile(latencies, 95),
        signalledSeconds,
        drainSeconds,
      };
    });
    const figures: Figure[] = [
      { figure: 'worker peak RSS', value: round(measured.peakRssMb, 0), unit: 'MB', target: '≤ 300 MB', met: measured.peakRssMb <= 300 },
      { figure: 'status query p95', value: round(measured.queryP95Ms, 1), unit: 'ms', target: '≤ 100 ms', met: measured.queryP95Ms <= 100 },
      { figure: `worker RSS idle / with ${reviews} open`, value: `${round(measured.idleRssMb, 0)} / ${round(measured.openRssMb, 0)}`, unit: 'MB' },
      { figure: 'worker RSS added per open review', value: round(((measured.openRssMb - measured.idleRssMb) * 1024) / reviews, 0), unit: 'KB' },
      { figure: 'status query p50', value: round(measured.queryP50Ms, 1), unit: 'ms' },
      { figure: `time until all ${reviews} wait at the gate`, value: round(measured.allWaitingSeconds, 1), unit: 's' },
      { figure: 'approve all: drain time (signals sent in)', value: `${round(measured.drainSeconds, 1)} (${round(measured.signalledSeconds, 1)})`, unit: 's' },
    ];
    return {
      name: 'open-reviews',
      title: '5. Many open reviews',
      conditions: {
        reviews,
        reachedGate: measured.waiting,
        shape: 'echo → approval gate → echo',
        statusQueries: `${queries}, one at a time`,
        approvals: 'approve signal, 50 in flight',
        workflowCache: `${cache} reviews (the worker's default, from REVIEW_WORKER_MEMORY)`,
        cores: ctx.cores,
      },
      figures,
      notes: [
        'the worker runs the compiled JavaScript with MALLOC_ARENA_MAX=2, as the README recommends; idle, it holds the Node runtime, the SDK core and the workflow bundle',
        'RSS of the whole worker process (the review queue worker, its workflow thread and the Rust core), sampled every 100 ms',
        'status queries go to reviews spread over all that were started: with more open reviews than the cache holds, most are replayed to answer',
      ],
      details: measured,
    };
  },
};
