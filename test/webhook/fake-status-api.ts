import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PostedStatus {
  path: string;
  authorization?: string;
  body: { state: string; description: string; context: string; target_url?: string };
}

/** A local stand-in for GitHub's commit status API that records every POST. */
export async function fakeStatusApi(): Promise<{ url: string; posted: PostedStatus[]; close(): Promise<void> }> {
  const posted: PostedStatus[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/repos\/[^/]+\/[^/]+\/statuses\/[0-9a-f]{40}$/.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      posted.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text) as PostedStatus['body'] });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, posted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
