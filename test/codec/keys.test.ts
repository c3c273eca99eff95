import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataConverterFromEnv, EncryptionConfigError, generateKey, loadCodecFromEnv, loadKeyRing } from '../../src/codec';

const k1 = generateKey();
const k2 = generateKey();

function keyFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'review-keys-')), 'keys.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('encryption keys from the environment', () => {
  it('is off when nothing is configured', () => {
    expect(loadCodecFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({})).toBeUndefined();
  });

  it('reads a single key without an active id, and several with one', () => {
    expect(loadKeyRing({ REVIEW_ENCRYPTION_KEYS: `k1:${k1}` })?.activeId).toBe('k1');
    const ring = loadKeyRing({ REVIEW_ENCRYPTION_KEYS: ` k1:${k1} , k2:${k2} `, REVIEW_ENCRYPTION_KEY_ID: 'k2' });
    expect(ring?.activeId).toBe('k2');
    expect([...(ring?.keys.keys() ?? [])]).toEqual(['k1', 'k2']);
    const converter = dataConverterFromEnv({ REVIEW_ENCRYPTION_KEYS: `k1:${k1}` });
    expect(converter?.payloadCodecs).toHaveLength(1);
  });

  it('reads a key file, whose active key REVIEW_ENCRYPTION_KEY_ID may override', () => {
    const path = keyFile({ active: 'old', keys: { old: k1, new: k2 } });
    expect(loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: path })?.activeId).toBe('old');
    expect(loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: path, REVIEW_ENCRYPTION_KEY_ID: 'new' })?.activeId).toBe('new');
  });

  const failures: [string, Record<string, string>, RegExp][] = [
    ['a short key', { REVIEW_ENCRYPTION_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }, /key "k1": must decode to 32 bytes for AES-256; generate one with: openssl rand -base64 32/],
    ['bad base64', { REVIEW_ENCRYPTION_KEYS: 'k1:not*base64!' }, /key "k1": is not valid base64/],
    ['an entry without id', { REVIEW_ENCRYPTION_KEYS: k1 }, /entry 1 is not "id:base64key"/],
    ['a bad key id', { REVIEW_ENCRYPTION_KEYS: `bad id:${k1}` }, /entry 1: key id: a key id is 1-64 letters/],
    ['a duplicate id', { REVIEW_ENCRYPTION_KEYS: `k1:${k1},k1:${k2}` }, /lists key id "k1" twice/],
    ['several keys without an active id', { REVIEW_ENCRYPTION_KEYS: `k1:${k1},k2:${k2}` }, /lists 2 keys \(k1, k2\): set REVIEW_ENCRYPTION_KEY_ID/],
    ['an active id that is missing', { REVIEW_ENCRYPTION_KEYS: `k1:${k1}`, REVIEW_ENCRYPTION_KEY_ID: 'k9' }, /REVIEW_ENCRYPTION_KEY_ID names key "k9", which is not among the keys \(k1\)/],
    ['an active id without keys', { REVIEW_ENCRYPTION_KEY_ID: 'k1' }, /no keys are/],
    ['both a list and a file', { REVIEW_ENCRYPTION_KEYS: `k1:${k1}`, REVIEW_ENCRYPTION_KEYS_FILE: '/x' }, /keep one of them/],
    ['a missing file', { REVIEW_ENCRYPTION_KEYS_FILE: '/nonexistent/keys.json' }, /cannot read it \(file not found\)/],
  ];
  it.each(failures)('refuses %s with an actionable error', (_name, env, message) => {
    expect(() => loadKeyRing(env)).toThrow(EncryptionConfigError);
    expect(() => loadKeyRing(env)).toThrow(message);
  });

  it('refuses malformed key files with the field at fault', () => {
    expect(() => loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: keyFile('{ nope') })).toThrow(/is not JSON/);
    expect(() => loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: keyFile({ active: 'a', keys: { a: 'short' } }) })).toThrow(/keys\.a is not valid base64|keys\.a must decode to 32 bytes/);
    expect(() => loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: keyFile({ active: 'b', keys: { a: k1 } }) })).toThrow(/"active" in .* names key "b"/);
    expect(() => loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: keyFile({ active: 'a', keys: {} }) })).toThrow(/keys lists no keys/);
    expect(() => loadKeyRing({ REVIEW_ENCRYPTION_KEYS_FILE: keyFile({ keys: { a: k1 } }) })).toThrow(/active/);
  });
});
