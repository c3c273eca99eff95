/**
 * The codec server the Temporal Web UI and CLI (`--codec-endpoint`, `--codec-auth`) call to show encrypted
 * payloads to people who hold the token: POST /encode, POST /decode, GET /healthz.
 */
import { HttpError, readJson, sendJson } from '../http/json-http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { fromRemote, RemotePayloadsSchema, toRemote } from './remote-codec-json';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MIN_TOKEN_LENGTH = 16;
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Callers must send `Authorization: Bearer <token>`. */
  token: string;
  /** Origins allowed to call from a browser, e.g. the Web UI at http://localhost:8233. */
  corsOrigins?: readonly string[];
  maxBodyBytes?: number;
}

export interface CodecServer {
  server: Server;
  /** Starts listening; resolves with the base URL (`http://host:port`). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export function createCodecServer(options: CodecServerOptions): CodecServer {
  if (options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the codec server token must be at least ${MIN_TOKEN_LENGTH} characters; generate one with: openssl rand -hex 32`);
  }
  const expected = digest(`Bearer ${options.token}`);
  const origins = new Set(options.corsOrigins ?? []);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization;
    return typeof header === 'string' && timingSafeEqual(digest(header.trim()), expected);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    if (path === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (path !== '/encode' && path !== '/decode') throw new HttpError(404, `no such endpoint ${path}; use POST /encode or POST /decode`);
    if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`);
    if (!authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'missing or wrong Authorization: Bearer <token>');
    }
    const body = await readJson(req, maxBodyBytes);
    const parsed = RemotePayloadsSchema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'expected { "payloads": [{ "metadata": { "key": "base64" }, "data": "base64" }] }');
    const payloads = fromRemote(parsed.data);
    let result;
    try {
      result = path === '/encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (error) {
      throw new HttpError(400, `cannot ${path.slice(1)}: ${error instanceof Error ? error.message : String(error)}`);
    }
    sendJson(res, 200, toRemote(result));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : 'internal error';
      if (status === 413) res.setHeader('Connection', 'close');
      if (!res.headersSent) sendJson(res, status, { error: message });
    });
  });

  return {
    server,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
