import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { createCodecServer, generateKey, loadCodecFromEnv, type AesGcmCodec, type CodecServer } from '../../src/codec';

const TOKEN = 'codec-test-token-0123456789';
const WEB_UI = 'http://localhost:8233';
const codec = loadCodecFromEnv({ REVIEW_ENCRYPTION_KEYS: `k1:${generateKey()}` }) as AesGcmCodec;

const toJson = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});

let server: CodecServer;
let url: string;
beforeAll(async () => {
  server = createCodecServer({ codec, token: TOKEN, corsOrigins: [WEB_UI], maxBodyBytes: 64 * 1024 });
  url = await server.listen();
});
afterAll(() => server.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const auth = { Authorization: `Bearer ${TOKEN}` };

describe('codec server', () => {
  it('refuses to start with a short token', () => {
    expect(() => createCodecServer({ codec, token: 'short' })).toThrow(/at least 16 characters/);
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const body = toJson(await codec.encode([defaultPayloadConverter.toPayload('secret body')]));
    const variants: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token-wrong-token' }, { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }];
    for (const headers of variants) {
      const response = await post('/decode', body, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).not.toContain('secret body');
    }
    expect((await post('/encode', { payloads: [] })).status).toBe(401);
  });

  it('decodes and encodes in the remote codec JSON format with the token', async () => {
    const encoded = await codec.encode([defaultPayloadConverter.toPayload({ comment: 'looks good' })]);
    const response = await post('/decode', toJson(encoded), { ...auth, 'X-Namespace': 'default' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(body.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString())).toEqual({ comment: 'looks good' });

    const again = await post('/encode', body, auth);
    expect(again.status).toBe(200);
    const reencoded = (await again.json()) as { payloads: { metadata: Record<string, string> }[] };
    expect(Buffer.from(reencoded.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
  });

  it('answers the Web UI preflight and allows only the configured origins', async () => {
    const preflight = await fetch(`${url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: WEB_UI, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(WEB_UI);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Namespace');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const decoded = await post('/decode', { payloads: [] }, { ...auth, Origin: WEB_UI });
    expect(decoded.headers.get('access-control-allow-origin')).toBe(WEB_UI);
    const stranger = await post('/decode', { payloads: [] }, { ...auth, Origin: 'http://evil.example' });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rejects bad bodies, oversized bodies, tampered payloads, unknown paths and methods', async () => {
    expect((await post('/decode', '{ not json', auth)).status).toBe(400);
    const wrongShape = await post('/decode', { payload: [] }, auth);
    expect(wrongShape.status).toBe(400);
    expect(await wrongShape.text()).toContain('payloads');
    expect((await post('/decode', { payloads: [{ data: 'x'.repeat(100 * 1024) }] }, auth)).status).toBe(413);
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const data = Buffer.from((encoded as Payload).data as Uint8Array);
    data[20] = (data[20] as number) ^ 1;
    const tampered = await post('/decode', toJson([{ ...(encoded as Payload), data: new Uint8Array(data) }]), auth);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('failed authentication');
    expect((await post('/nope', {}, auth)).status).toBe(404);
    expect((await fetch(`${url}/decode`, { headers: auth })).status).toBe(405);
  });

  it('reports health without a token', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
