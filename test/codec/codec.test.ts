import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec, DecryptionError, ENCRYPTED_ENCODING, generateKey, KEY_ID_METADATA, loadCodecFromEnv } from '../../src/codec';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const codecWith = (active: string, keys: Record<string, string>) =>
  loadCodecFromEnv({ REVIEW_ENCRYPTION_KEYS: Object.entries(keys).map(([id, k]) => `${id}:${k}`).join(','), REVIEW_ENCRYPTION_KEY_ID: active }) as AesGcmCodec;

const k1 = generateKey();
const k2 = generateKey();

describe('AES-256-GCM payload codec', () => {
  it('round-trips payloads, metadata included, and hides the plaintext', async () => {
    const codec = codecWith('k1', { k1 });
    const payloads = [defaultPayloadConverter.toPayload({ secret: 'the-plain-secret', n: 42 }), defaultPayloadConverter.toPayload(null), { metadata: {}, data: new Uint8Array() }];
    const encoded = await codec.encode(payloads);
    for (const p of encoded) {
      expect(text(p.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(p.metadata?.[KEY_ID_METADATA])).toBe('k1');
      expect(Buffer.from(p.data as Uint8Array).includes('the-plain-secret')).toBe(false);
      expect(Buffer.from(p.data as Uint8Array).includes('json/plain')).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded).toEqual(payloads.map((p) => ({ metadata: p.metadata, data: p.data })));
    expect(defaultPayloadConverter.fromPayload(decoded[0] as Payload)).toEqual({ secret: 'the-plain-secret', n: 42 });
  });

  it('uses a fresh IV for every payload', async () => {
    const codec = codecWith('k1', { k1 });
    const payload = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a?.data as Uint8Array).equals(Buffer.from(b?.data as Uint8Array))).toBe(false);
    expect(Buffer.from(a?.data as Uint8Array).subarray(0, 12).equals(Buffer.from(b?.data as Uint8Array).subarray(0, 12))).toBe(false);
  });

  it('decodes data encrypted with an old key after the active key changes', async () => {
    const before = codecWith('k1', { k1 });
    const old = await before.encode([defaultPayloadConverter.toPayload('written under k1')]);
    const after = codecWith('k2', { k1, k2 });
    const fresh = await after.encode([defaultPayloadConverter.toPayload('written under k2')]);
    expect(text(fresh[0]?.metadata?.[KEY_ID_METADATA])).toBe('k2');
    const decoded = await after.decode([...old, ...fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['written under k1', 'written under k2']);
  });

  it('refuses a payload whose key id is not configured, naming the id', async () => {
    const encoded = await codecWith('retired', { retired: k1 }).encode([defaultPayloadConverter.toPayload('x')]);
    const other = codecWith('k2', { k2 });
    await expect(other.decode(encoded)).rejects.toThrow(DecryptionError);
    await expect(other.decode(encoded)).rejects.toThrow(/key "retired", which is not configured \(known: k2\)/);
  });

  it('detects any flipped byte (IV, ciphertext or tag) and a swapped key id', async () => {
    const codec = codecWith('k1', { k1, k2 });
    const [encoded] = (await codec.encode([defaultPayloadConverter.toPayload({ body: 'tamper me' })])) as [Payload];
    const data = Buffer.from(encoded.data as Uint8Array);
    for (const index of [0, 11, 12, Math.floor(data.length / 2), data.length - 1]) {
      const flipped = Buffer.from(data);
      flipped[index] = (flipped[index] as number) ^ 0x01;
      await expect(codec.decode([{ ...encoded, data: new Uint8Array(flipped) }])).rejects.toThrow(/failed authentication/);
    }
    const relabelled = { ...encoded, metadata: { ...encoded.metadata, [KEY_ID_METADATA]: new Uint8Array(Buffer.from('k2')) } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication/);
    await expect(codec.decode([{ ...encoded, data: new Uint8Array(data.subarray(0, 20)) }])).rejects.toThrow(/truncated/);
  });

  it('passes unencrypted payloads through on decode, so history written before encryption stays readable', async () => {
    const plain = defaultPayloadConverter.toPayload('older');
    const [decoded] = await codecWith('k1', { k1 }).decode([plain]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toBe('older');
  });
});
