import { createHmac } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { makeActivities, runActivity, startServer, stepRequest, type LocalServer } from './helpers';

const activities = makeActivities();
let server: LocalServer;
let hangs = 0;

beforeAll(async () => {
  server = await startServer((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.searchParams.get('status') ?? 200);
    if (url.pathname === '/hang') {
      hangs += 1;
      return;
    }
    if (url.pathname === '/echo') {
      res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': 'test' });
      res.end(JSON.stringify({ method: req.method, body: body ? (JSON.parse(body) as unknown) : null, auth: req.headers.authorization ?? null }));
      return;
    }
    if (url.pathname === '/text') {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('plain words');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (status === 429) headers['retry-after'] = '3';
    res.writeHead(status, headers);
    res.end(`status ${status}`);
  });
});

afterAll(() => server.close());

describe('http executor', () => {
  test('sends JSON and returns the status and parsed JSON', async () => {
    const { response } = await runActivity(
      activities,
      stepRequest('http', {
        method: 'POST',
        url: `${server.url}/echo`,
        json: { hello: 'world' },
        headers: { authorization: 'Bearer t0k3n' },
        includeHeaders: true,
      }),
    );
    expect(response?.output).toMatchObject({
      status: 200,
      json: { method: 'POST', body: { hello: 'world' }, auth: '[redacted]' },
      headers: expect.objectContaining({ 'x-served-by': 'test' }),
    });
    expect(response?.summary).toBe('HTTP 200');
    expect(server.requests.at(-1)?.headers['content-type']).toBe('application/json');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer t0k3n');
  });

  test('returns text bodies as text, and accepts any status listed in expectStatus', async () => {
    const { response } = await runActivity(activities, stepRequest('http', { url: `${server.url}/text?status=404`, expectStatus: [404] }));
    expect(response?.output).toEqual({ status: 404, text: 'plain words' });
  });

  test('5xx is retryable, 4xx is not, 408 and 429 are', async () => {
    const fail = async (status: number) => (await runActivity(activities, stepRequest('http', { url: `${server.url}/s?status=${status}` }))).error as ApplicationFailure;
    expect(await fail(503)).toMatchObject({ type: 'Http503', nonRetryable: false });
    expect(await fail(404)).toMatchObject({ type: 'Http404', nonRetryable: true });
    expect(await fail(400)).toMatchObject({ nonRetryable: true });
    expect(await fail(408)).toMatchObject({ nonRetryable: false });
    const limited = await fail(429);
    expect(limited).toMatchObject({ type: 'Http429', nonRetryable: false, nextRetryDelay: 3_000 });
    expect(limited.message).toContain('status 429');
    expect(limited.details?.[0]).toMatchObject({ status: 429 });
  });

  test('a status outside expectStatus fails even when 2xx', async () => {
    const { error } = await runActivity(activities, stepRequest('http', { url: `${server.url}/text`, expectStatus: 201 }));
    expect(error).toMatchObject({ type: 'Http200' });
  });

  test('network errors and timeouts are retryable', async () => {
    const closed = await startServer(() => undefined);
    const deadUrl = closed.url;
    await closed.close();
    const refused = await runActivity(activities, stepRequest('http', { url: `${deadUrl}/x` }));
    expect(refused.error).toMatchObject({ type: 'HttpNetworkError', nonRetryable: false });
    expect((refused.error as Error).message).toContain('ECONNREFUSED');

    const started = Date.now();
    const slow = await runActivity(activities, stepRequest('http', { url: `${server.url}/hang`, timeout: '300ms' }));
    expect(slow.error).toMatchObject({ type: 'HttpTimeout', nonRetryable: false });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('cancellation aborts the request', async () => {
    const before = hangs;
    const { error } = await runActivity(activities, stepRequest('http', { url: `${server.url}/hang`, timeout: '30s' }), {
      during: async (env) => {
        while (hangs === before) await new Promise((resolve) => setTimeout(resolve, 10));
        env.cancel();
      },
    });
    expect(error).toBeInstanceOf(CancelledFailure);
  });

  test('rejects bad input before calling anything', async () => {
    const { error } = await runActivity(activities, stepRequest('http', { url: 'ftp://example.invalid/x' }));
    expect(error).toMatchObject({ type: 'InvalidStepInput', nonRetryable: true });
    expect((error as Error).message).toContain('with.url');
  });
});

describe('notify executor', () => {
  test('posts the message with the review and step, signed with HMAC', async () => {
    const { response } = await runActivity(
      activities,
      stepRequest('notify', { url: `${server.url}/hook`, text: 'Review approved', event: 'outcome', hmacSecret: 's3cret-key', data: { by: 'ada' } }, { secret: ['hmacSecret'] }),
      { attempt: 2 },
    );
    expect(response?.output).toEqual({ status: 200, delivered: true });
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      text: 'Review approved',
      event: 'outcome',
      review: { id: 'review-1', pipeline: 'test-pipeline', priority: 'normal' },
      step: { id: 'step-1', kind: 'step', attempt: 2 },
      data: { by: 'ada' },
    });
    const expected = `sha256=${createHmac('sha256', 's3cret-key').update(request.body).digest('hex')}`;
    expect(request.headers['x-review-signature']).toBe(expected);
  });

  test('webhook failures follow the HTTP rules', async () => {
    const gone = await runActivity(activities, stepRequest('notify', { url: `${server.url}/hook?status=410`, text: 'x' }));
    expect(gone.error).toMatchObject({ type: 'Http410', nonRetryable: true });
    const down = await runActivity(activities, stepRequest('notify', { url: `${server.url}/hook?status=502`, text: 'x' }));
    expect(down.error).toMatchObject({ type: 'Http502', nonRetryable: false });
  });
});
