/** `/healthz` (the process is up) and `/readyz` (the worker of every task queue it serves is polling) for orchestrators and load balancers. */
import { createServer, type Server } from 'node:http';

export interface HealthSource {
  ready(): boolean;
  details(): Record<string, string>;
}

export function startHealthServer(host: string, port: number, source: HealthSource): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const ready = source.ready();
      return send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', workers: source.details() });
    }
    send(res, 404, { error: `no such endpoint ${path}; try /healthz or /readyz` });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
