/** The github executor's pure parts: cutting text, rate-limit waits, the App JWT, findings as annotations. */
import { annotationKey, batches, toAnnotation, withoutPresent } from '../../../activities/executors/github/annotations';
import { appJwt } from '../../../activities/executors/github/app-auth';
import { rateLimitWaitMs } from '../../../activities/executors/github/rate-limit';
import { codePointLength, cutCodePoints, cutMarkdown, takeCodePoints } from '../../../activities/executors/github/text';
import { generateKeyPairSync, verify } from 'node:crypto';

describe('cutting text', () => {
  test('code points, never half a surrogate pair', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(takeCodePoints('😀😀😀', 2)).toBe('😀😀');
    expect(cutCodePoints('😀'.repeat(141), 140)).toBe(`${'😀'.repeat(139)}…`);
    expect(cutCodePoints('😀'.repeat(140), 140)).toBe('😀'.repeat(140));
    expect(cutCodePoints('x'.repeat(10), 5)).toBe('xxxx…');
  });

  test('markdown over the limit ends with a note and fits', () => {
    const { text, cut } = cutMarkdown(`${'a'.repeat(99)}😀${'b'.repeat(50)}`, 120, 'summary');
    expect(cut).toBe(true);
    expect(text.length).toBeLessThanOrEqual(120);
    expect(text).toContain('summary cut');
    expect(cutMarkdown('short', 120, 'summary')).toEqual({ text: 'short', cut: false });
  });
});

describe('rate-limit waits', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  test('retry-after, then x-ratelimit-reset, then a minute for a secondary limit; none for a permission 403', () => {
    expect(rateLimitWaitMs(403, headers({ 'retry-after': '30' }), '')).toBe(30_000);
    expect(rateLimitWaitMs(429, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' }), '', 1_000_000)).toBe(11_000);
    expect(rateLimitWaitMs(403, headers({}), 'You have exceeded a secondary rate limit.')).toBe(60_000);
    expect(rateLimitWaitMs(429, headers({}), '')).toBe(60_000);
    expect(rateLimitWaitMs(403, headers({}), 'Resource not accessible by integration')).toBeUndefined();
    expect(rateLimitWaitMs(500, headers({ 'retry-after': '5' }), '')).toBeUndefined();
  });
});

describe('App JWT', () => {
  test('RS256, iat 60 s in the past, exp within 10 minutes, iss the App id', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const now = 1_700_000_000_000;
    const jwt = appJwt({ appId: '12345', privateKey: pem, installationId: 1 }, now);
    const [head, body, signature] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { iat: number; exp: number; iss: unknown };
    expect(claims.iat).toBe(now / 1000 - 60);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(claims.exp).toBeGreaterThan(now / 1000);
    expect(claims.iss).toBe(12345);
    expect(verify('sha256', Buffer.from(`${head}.${body}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    // A key pasted with literal \n (as environment variables often hold it) is read too.
    expect(() => appJwt({ appId: 1, privateKey: pem.replace(/\n/g, '\\n'), installationId: 1 })).not.toThrow();
  });
});

describe('findings as annotations', () => {
  test('severity to level, ranges, columns only on one line, default path, none without a path', () => {
    expect(toAnnotation({ line: 3, column: 5, rule: 'MD001', message: 'm', severity: 'error' }, 'README.md')).toEqual({
      path: 'README.md',
      start_line: 3,
      end_line: 3,
      start_column: 5,
      end_column: 5,
      annotation_level: 'failure',
      message: 'm',
      title: 'MD001',
    });
    expect(toAnnotation({ path: './src/a.ts', line: 3, endLine: 6, column: 5, rule: '', message: 'm', severity: 'info' }, undefined)).toEqual({
      path: 'src/a.ts',
      start_line: 3,
      end_line: 6,
      annotation_level: 'notice',
      message: 'm',
    });
    expect(toAnnotation({ line: 1, rule: 'r', message: 'm', severity: 'warning' }, undefined)).toBeUndefined();
  });

  test('batches of 50 and annotations already present are skipped, counting repeats', () => {
    expect(batches(Array.from({ length: 120 }, (_, i) => i)).map((b) => b.length)).toEqual([50, 50, 20]);
    const a = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'warning' as const, message: 'm' };
    const present = [{ ...a, start_column: null, end_column: null, title: null }];
    expect(withoutPresent([a, a], present)).toEqual([a]);
    expect(annotationKey(a)).toBe(annotationKey(present[0] as never));
  });
});
