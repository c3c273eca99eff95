import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { generateKey, loadCodecFromEnv, MissingEncryptionKeyError, missingKeyIn, PlaintextCodec, type AesGcmCodec } from '../../src/codec';
import { failureConverter } from '../../src/codec/failure-converter';
import { MissingKeyReporter } from '../../workers/missing-keys';

const k1 = loadCodecFromEnv({ REVIEW_ENCRYPTION_KEYS: `k1:${generateKey()}` }) as AesGcmCodec;
const plaintext = defaultPayloadConverter.toPayload({ article: 'draft' });

describe('a payload encrypted with a key this process lacks', () => {
  it('PlaintextCodec passes plaintext through and refuses encrypted payloads naming the key id and the variable', async () => {
    const codec = new PlaintextCodec();
    expect(await codec.decode([plaintext])).toEqual([plaintext]);
    expect(await codec.encode([plaintext])).toEqual([plaintext]);
    const encrypted = await k1.encode([plaintext]);
    await expect(codec.decode(encrypted)).rejects.toThrow(MissingEncryptionKeyError);
    await expect(codec.decode(encrypted)).rejects.toMatchObject({ keyId: 'k1', knownKeyIds: [] });
    await expect(codec.decode(encrypted)).rejects.toThrow(/key "k1", which is not configured \(encryption is not configured here\); add key "k1" to REVIEW_ENCRYPTION_KEYS/);
  });

  it('the AES codec with other keys raises the same error', async () => {
    const k2 = loadCodecFromEnv({ REVIEW_ENCRYPTION_KEYS: `k2:${generateKey()}` }) as AesGcmCodec;
    await expect(k2.decode(await k1.encode([plaintext]))).rejects.toMatchObject({ name: 'MissingEncryptionKeyError', keyId: 'k1', knownKeyIds: ['k2'] });
  });

  it('missingKeyIn finds the key in an error chain and recognises the payload converter error', () => {
    const wrapped = new Error('outer', { cause: new MissingEncryptionKeyError('k9', []) });
    expect(missingKeyIn(wrapped)).toMatchObject({ keyId: 'k9' });
    expect(missingKeyIn(new Error('Unknown encoding: binary/encrypted'))).toEqual({ message: 'Unknown encoding: binary/encrypted' });
    expect(missingKeyIn(new Error('something else'))).toBeUndefined();
  });

  it('the encoding failure converter encodes messages but leaves a missing-key failure readable', () => {
    const encoded = failureConverter.errorToFailure(ApplicationFailure.create({ message: 'secret article' }), defaultPayloadConverter);
    expect(encoded.message).toBe('Encoded failure');
    const readable = failureConverter.errorToFailure(new MissingEncryptionKeyError('k1', []), defaultPayloadConverter);
    expect(readable.message).toMatch(/key "k1"/);
    expect(failureConverter.failureToError(encoded, defaultPayloadConverter).message).toBe('secret article');
  });

  it('a worker reports a missing key once per review and key, then rethrows', async () => {
    const lines: [Record<string, unknown>, string][] = [];
    const reporter = new MissingKeyReporter({ error: ((obj: Record<string, unknown>, msg: string) => lines.push([obj, msg])) as never });
    const codec = reporter.dataConverter({}).payloadCodecs?.[0];
    const encrypted = await k1.encode([plaintext]);
    for (const workflowId of ['r1', 'r1', 'r2']) {
      await expect(codec?.decode(encrypted, { type: 'workflow', namespace: 'default', workflowId })).rejects.toThrow(MissingEncryptionKeyError);
    }
    expect(lines.map(([obj]) => obj.reviewId)).toEqual(['r1', 'r2']);
    expect(lines[0]?.[1]).toMatch(/review r1 is encrypted with key "k1", which this worker does not have \(it has no keys \(REVIEW_ENCRYPTION_KEYS is not set\)\)/);
    expect(await codec?.decode([plaintext])).toEqual([plaintext]);
  });
});
