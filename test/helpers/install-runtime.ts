import { DefaultLogger, Runtime } from '@temporalio/worker';

// One Temporal runtime per test process, quiet unless something is wrong.
try {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
} catch {
  // already installed in this process
}
