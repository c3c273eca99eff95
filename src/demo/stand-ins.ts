/**
 * Local stand-ins for the services the built-in pipelines talk to (a CMS, a chat webhook, a code host's
 * status and merge API), so the demo runs on a machine without network access. Everything they
 * receive is kept, to be shown at the end.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface StandIns {
  baseUrl: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

export async function startStandIns(): Promise<StandIns> {
  const calls: ReceivedCall[] = [];
  let nextId = 100;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', body });
      const reply = req.url?.startsWith('/cms/articles') && req.method === 'POST' ? { id: nextId++, status: 'published' } : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
