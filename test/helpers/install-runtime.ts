import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

// One Temporal runtime per test process, quiet unless something is wrong.
try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} } },
  });
} catch {
  // already installed in this process
}
