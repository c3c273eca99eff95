/**
 * Review-level metrics, emitted from workflow code (the SDK drops them during replay). The instruments are
 * made on first use: this module is shared by every workflow of a worker (workers/shared-modules.ts),
 * and the SDK's meter can only be asked for them inside a workflow.
 */
import type { MetricCounter, MetricHistogram } from '@temporalio/common';
import { metricMeter } from '@temporalio/workflow';

let instruments: { started: MetricCounter; finished: MetricCounter; gateWait: MetricHistogram } | undefined;

function meters(): NonNullable<typeof instruments> {
  instruments ??= {
    started: metricMeter.createCounter('review_started', '1', 'Reviews started, by pipeline and priority'),
    finished: metricMeter.createCounter('review_finished', '1', 'Reviews finished, by pipeline, priority and final state'),
    gateWait: metricMeter.createHistogram('review_gate_wait', 'int', 'ms', 'Time an approval gate waited for its outcome'),
  };
  return instruments;
}

export const reviewMetrics = {
  started: (pipeline: string, priority: string) => meters().started.add(1, { pipeline, priority }),
  finished: (pipeline: string, priority: string, state: string) => meters().finished.add(1, { pipeline, priority, state }),
  gateWaited: (pipeline: string, step: string, outcome: string, ms: number) =>
    meters().gateWait.record(Math.max(0, Math.round(ms)), { pipeline, step, outcome }),
};
