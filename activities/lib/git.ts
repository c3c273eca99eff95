/**
 * Runs the `git` CLI (spawned directly, never through a shell) with credentials passed only through
 * the environment (`GIT_CONFIG_*`: an http.extraHeader), so they never appear on a command line, in
 * a URL, in a config file or in what this returns; every secret is also scrubbed from messages.
 */
import { spawn } from 'node:child_process';

export interface GitOptions {
  cwd?: string;
  /** Secrets to keep out of messages (the token and the header built from it). */
  secrets?: readonly string[];
  /** An Authorization header value for http(s) remotes (e.g. `Basic …`). */
  authorization?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Replaces every secret (and its base64 and URL-encoded forms) with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(\/\/)[^/@\s]*@/g, '$1[redacted]@');
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/** The environment git runs with: no prompts, no user or system config, credentials as config from the environment. */
export function gitEnv(authorization: string | undefined): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy', 'GIT_SSH_COMMAND', 'SSH_AUTH_SOCK'];
  const env: NodeJS.ProcessEnv = {};
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key];
  const config: [string, string][] = [
    ['advice.detachedHead', 'false'],
    ['init.defaultBranch', 'main'],
    ['core.askPass', ''],
    ['credential.helper', ''],
    ['protocol.file.allow', 'always'],
  ];
  if (authorization) config.push(['http.extraHeader', `Authorization: ${authorization}`]);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return {
    ...env,
    GIT_CONFIG_COUNT: String(config.length),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'review-orchestrator',
    GIT_AUTHOR_EMAIL: 'review-orchestrator@localhost',
    GIT_COMMITTER_NAME: 'review-orchestrator',
    GIT_COMMITTER_EMAIL: 'review-orchestrator@localhost',
  };
}

/** Runs `git <args>`; resolves with stdout, rejects with a GitError whose message names the command and git's last lines. */
export function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  const secrets = [...(options.secrets ?? []), ...(options.authorization ? [options.authorization] : [])];
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
      return;
    }
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: gitEnv(options.authorization),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      if (err.length > 200) err.splice(0, err.length - 200);
    });
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = options.timeoutMs ? setTimeout(kill, options.timeoutMs) : undefined;
    const onAbort = () => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new GitError(`could not run git: ${e.message} (is git installed and on PATH?)`, args, null, ''));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
        return;
      }
      const stderr = scrubSecrets(Buffer.concat(err).toString('utf8'), secrets).trim();
      if (code === 0) {
        resolvePromise(Buffer.concat(out).toString('utf8'));
        return;
      }
      const command = args[0] === '-C' ? args[2] : args[0];
      const tail = stderr.split('\n').slice(-6).join('\n');
      const how = signal ? `was killed (${signal})` : `exited with ${code}`;
      const auth = /could not read (Username|Password)|Authentication failed|returned error: 40[13]/.test(stderr)
        ? ' (authentication failed: check the token and that it may read the repository)'
        : '';
      reject(new GitError(`git ${command ?? ''} ${how}${tail ? `: ${tail}` : ''}${auth}`, args, code, stderr));
    });
  });
}
