/**
 * `npm run temporal:dev`: a local Temporal dev server with the Web UI and a SQLite store,
 * so reviews survive a restart. Runs in the foreground until Ctrl-C.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, waitForPort } from './dev-server';

export function defaultDataDir(): string {
  return (
    process.env.REVIEW_DATA_DIR ??
    join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'review-orchestrator')
  );
}

async function portInUse(port: number): Promise<boolean> {
  return waitForPort(port, '127.0.0.1', 0).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const port = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_DEV_UI_PORT ?? port + 1000);
  const dbFile = process.env.TEMPORAL_DEV_DB ?? join(defaultDataDir(), 'temporal.sqlite');
  if (await portInUse(port)) {
    console.error(`Port ${port} is already in use: a Temporal server may already be running there.`);
    console.error(`Stop it, or choose another port with TEMPORAL_DEV_PORT=<port>.`);
    process.exit(1);
  }
  const server = await startDevServer({
    port,
    uiPort,
    dbFile,
    codecEndpoint: process.env.TEMPORAL_DEV_CODEC_ENDPOINT,
    log: 'inherit',
  });
  console.log(`Temporal dev server  ${server.address}`);
  console.log(`Web UI               http://127.0.0.1:${uiPort}`);
  console.log(`Store (SQLite)       ${dbFile}`);
  console.log('Press Ctrl-C to stop.');
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => process.exit(code ?? 1));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
