import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';

// One Temporal runtime per test process, quiet unless something is wrong; TEST_TEMPORAL_LOG=WARN (or
// DEBUG) shows what the SDK says, e.g. why a workflow task completion was refused.
const level = (process.env.TEST_TEMPORAL_LOG ?? 'ERROR') as LogLevel;
try {
  Runtime.install({
    logger: new DefaultLogger(level),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: level, other: 'ERROR' }), forward: {} } },
  });
} catch {
  // already installed in this process
}
