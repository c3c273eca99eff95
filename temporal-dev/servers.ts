import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where provision.sh caches the servers (outside the repository). */
export function cacheDir(): string {
  return (
    process.env.REVIEW_TEMPORAL_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'review-orchestrator')
  );
}

function provisioned(): Record<string, string> {
  const file = join(cacheDir(), 'servers.env');
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.match(/^([A-Z_]+)=(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => [m[1] as string, m[2] as string]);
  return Object.fromEntries(entries);
}

/** The temporal CLI binary: TEMPORAL_CLI_PATH, else what provision.sh found or built; undefined means "let the SDK download it". */
export function temporalCliPath(): string | undefined {
  return process.env.TEMPORAL_CLI_PATH || provisioned().TEMPORAL_CLI || undefined;
}

/** The time-skipping test server executable; undefined means "let the SDK download it". */
export function testServerPath(): string | undefined {
  return process.env.TEMPORAL_TEST_SERVER_PATH || provisioned().TEMPORAL_TEST_SERVER || undefined;
}

export function requireTemporalCli(): string {
  const path = temporalCliPath();
  if (!path) {
    throw new Error(
      'No temporal CLI found. Run `npm run temporal:provision` (builds it with Go), ' +
        'put `temporal` on PATH, or set TEMPORAL_CLI_PATH.',
    );
  }
  return path;
}
