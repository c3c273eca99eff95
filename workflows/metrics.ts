/** Review-level metrics, emitted from workflow code (the SDK drops them during replay). */
import { metricMeter } from '@temporalio/workflow';

const started = metricMeter.createCounter('review_started', '1', 'Reviews started, by pipeline and priority');
const finished = metricMeter.createCounter('review_finished', '1', 'Reviews finished, by pipeline, priority and final state');
const gateWait = metricMeter.createHistogram('review_gate_wait', 'int', 'ms', 'Time an approval gate waited for its outcome');

export const reviewMetrics = {
  started: (pipeline: string, priority: string) => started.add(1, { pipeline, priority }),
  finished: (pipeline: string, priority: string, state: string) => finished.add(1, { pipeline, priority, state }),
  gateWaited: (pipeline: string, step: string, outcome: string, ms: number) =>
    gateWait.record(Math.max(0, Math.round(ms)), { pipeline, step, outcome }),
};
