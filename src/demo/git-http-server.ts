/**
 * A git smart-HTTP server on loopback (the demo's code host, and tests'): `git http-backend` behind a small CGI bridge, with an
 * optional required Authorization header and a list of commits whose direct `want <sha>` it refuses
 * (as a host does for a commit that is reachable only through a ref such as refs/pull/N/head).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories served as /<name>.git. */
  root: string;
  /** When set, every request must carry exactly this Authorization header. */
  authorization?: string;
  /**
   * Commits a fetch may only ask for right after listing refs under refs/pull/ (as a client fetching
   * refs/pull/N/head does): a fetch of the bare SHA is refused, as a host refuses a commit whose fork is gone.
   */
  refuseWants?: string[];
}

export interface GitHttpServer {
  url: string;
  /** Every request seen: method, path, the Authorization header, whether it was refused. */
  requests: { method: string; path: string; authorization?: string; status: number }[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: GitHttpServer['requests'] = [];
  let afterPullListing = false;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const record = { method: req.method ?? 'GET', path: url.pathname, authorization: req.headers.authorization, status: 200 };
      requests.push(record);
      if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
        record.status = 401;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end('authentication required\n');
        return;
      }
      const body = await readBody(req);
      const listedPull = afterPullListing;
      if (url.pathname.endsWith('/git-upload-pack')) afterPullListing = body.includes('command=ls-refs') && body.includes('ref-prefix refs/pull/');
      if (url.pathname.endsWith('/git-upload-pack') && !listedPull && options.refuseWants?.some((sha) => body.includes(`want ${sha}`))) {
        record.status = 403;
        res.writeHead(403).end('not our ref\n');
        return;
      }
      const child = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          GIT_PROJECT_ROOT: options.root,
          GIT_HTTP_EXPORT_ALL: '1',
          GIT_CONFIG_NOSYSTEM: '1',
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: url.pathname,
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          CONTENT_LENGTH: String(body.length),
          REMOTE_ADDR: '127.0.0.1',
          ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
          ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        },
      });
      // git may answer and exit before reading the whole request body: its reply (below) is what counts, not the pipe.
      child.stdin.on('error', () => undefined);
      child.stdin.end(body);
      const out: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.resume();
      child.on('close', () => {
        const all = Buffer.concat(out);
        const split = all.indexOf('\r\n\r\n') >= 0 ? all.indexOf('\r\n\r\n') : all.indexOf('\n\n');
        const sep = all.indexOf('\r\n\r\n') >= 0 ? 4 : 2;
        const head = all.subarray(0, Math.max(0, split)).toString('latin1');
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head.split(/\r?\n/)) {
          const at = line.indexOf(':');
          if (at < 0) continue;
          const name = line.slice(0, at).trim();
          const value = line.slice(at + 1).trim();
          if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
          else headers[name] = value;
        }
        record.status = status;
        res.writeHead(status, headers).end(split >= 0 ? all.subarray(split + sep) : all);
      });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
