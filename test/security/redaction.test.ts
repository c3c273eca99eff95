import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineExecutor } from '../../activities';
import { z } from 'zod';
import { request, runLogged } from './log-capture';

const TOKEN = 'tok_live_4f9a1c2e7b3d';
const AUTHORIZATION = 'Bearer auth_9d8c7b6a5f4e';
const API_KEY = 'key_0a1b2c3d4e5f';
const WEBHOOK_SECRET = 'whsec_5e4d3c2b1a09';
const SECRETS = [TOKEN, AUTHORIZATION, 'auth_9d8c7b6a5f4e', API_KEY, WEBHOOK_SECRET];

const leaked = (text: string) => SECRETS.filter((secret) => text.includes(secret));

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/fail' ? 401 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ saw: req.headers.authorization, key: req.headers['x-api-key'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('secrets stay out of the logs', () => {
  it('an http step with a token, an authorization header, an API key and a secret-listed webhook secret', async () => {
    const { response, logs } = await runLogged(
      request(
        'http',
        {
          method: 'POST',
          url,
          headers: { authorization: AUTHORIZATION, 'x-api-key': API_KEY },
          json: { token: TOKEN, signature: WEBHOOK_SECRET },
        },
        ['headers', 'json'],
      ),
    );
    expect(response).toBeDefined();
    expect(logs).toContain('step.started');
    expect(logs).toContain('step.completed');
    expect(leaked(logs)).toEqual([]);
    expect(leaked(JSON.stringify(response))).toEqual([]);
  });

  it('a failing http step: the error message and its log line', async () => {
    const { error, logs } = await runLogged(request('http', { url: `${url}/fail`, headers: { authorization: AUTHORIZATION } }, ['headers']));
    expect(error).toBeDefined();
    expect(logs).toContain('step.failed');
    expect(leaked(logs)).toEqual([]);
    expect(leaked(String((error as Error).message))).toEqual([]);
  });

  it('a command that prints its secret environment and arguments', async () => {
    const { error, logs } = await runLogged(
      request(
        'command',
        {
          command: 'sh',
          args: ['-c', 'echo "token=$TOKEN"; echo "signing with $1" >&2; exit 3', 'sh', WEBHOOK_SECRET],
          env: { TOKEN },
          logOutput: 'info',
        },
        ['env', 'args'],
      ),
    );
    expect(logs).toContain('token=[redacted]');
    expect(leaked(logs)).toEqual([]);
    expect(leaked(String((error as Error).message))).toEqual([]);
  });

  it('an executor that logs its whole input, as objects and inside messages', async () => {
    const careless = defineExecutor({
      type: 'careless',
      description: 'logs everything it gets',
      input: z.looseObject({}),
      async run(input, ctx) {
        ctx.logger.info({ input }, `got ${JSON.stringify(input)}`);
        ctx.logger.info({ headers: input.headers, token: input.token }, 'calling');
        ctx.logger.warn(new Error(`failed with ${String(input.webhookSecret)}`));
        return { ok: true };
      },
    });
    const { logs } = await runLogged(
      request('careless', { token: TOKEN, headers: { authorization: AUTHORIZATION }, webhookSecret: WEBHOOK_SECRET }, ['token', 'headers', 'webhookSecret']),
      [careless],
    );
    expect(logs).toContain('calling');
    expect(leaked(logs)).toEqual([]);
  });

  it('credentials under well-known key names are redacted by path even when not listed in secret', async () => {
    const logsOnly = defineExecutor({
      type: 'structured',
      description: 'logs credentials as structured fields only',
      input: z.looseObject({}),
      async run(input, ctx) {
        ctx.logger.info({ headers: input.headers, token: input.token, apiKey: input.apiKey, password: input.password }, 'structured');
        return {};
      },
    });
    const { logs } = await runLogged(
      request('structured', { token: TOKEN, headers: { authorization: AUTHORIZATION, Authorization: AUTHORIZATION }, apiKey: API_KEY, password: WEBHOOK_SECRET }),
      [logsOnly],
    );
    expect(logs).toContain('structured');
    expect(leaked(logs)).toEqual([]);
  });

  it('credentials under well-known key names are kept out of message text even when not listed in secret', async () => {
    const chatty = defineExecutor({
      type: 'chatty',
      description: 'interpolates its input into messages',
      input: z.looseObject({}),
      async run(input, ctx) {
        ctx.logger.info(`calling with ${JSON.stringify(input)}`);
        return {};
      },
    });
    const { logs } = await runLogged(request('chatty', { token: TOKEN, headers: { authorization: AUTHORIZATION }, apiKey: API_KEY }), [chatty]);
    expect(leaked(logs)).toEqual([]);
  });

  it('the step.started line of a step whose nested input carries credentials not listed in secret', async () => {
    const { logs } = await runLogged(request('echo', { json: { token: TOKEN, auth: { apiKey: API_KEY } } }));
    expect(logs).toContain('step.started');
    expect(leaked(logs)).toEqual([]);
  });
});
