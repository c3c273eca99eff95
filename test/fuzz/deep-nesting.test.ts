import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the parser in a child process: when it kills the process, the test reports it instead of the test runner dying. */
function parseInChild(depth: number, format: 'yaml' | 'json') {
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'deep-nesting-child.ts'), String(depth), format], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const fatal = /FATAL ERROR[^\n]*/.exec(child.stderr)?.[0];
  return { status: child.status, signal: child.signal, fatal, stdout: child.stdout.trim() };
}

describe('deeply nested pipeline documents', () => {
  it.each([
    ['yaml', 1000],
    ['json', 1000],
    ['yaml', 100],
  ] as const)('a %s document nested %i deep is rejected or accepted, never kills the process', (format, depth) => {
    const outcome = parseInChild(depth, format);
    expect({ status: outcome.status, signal: outcome.signal, fatal: outcome.fatal }).toEqual({ status: 0, signal: null, fatal: undefined });
    expect(outcome.stdout).toContain('"survived":true');
  }, 90_000);
});
