import { Writable } from 'node:stream';
import { childFor, createActivityLogger } from '../../activities';
import { logLevelFromEnv } from '../../activities/logger';
import { stepRequest } from './helpers';

function capture(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('activity logger', () => {
  test('writes JSON lines bound to the review and step, with credentials redacted', async () => {
    const out = capture();
    const root = createActivityLogger({ level: 'debug', destination: out.stream });
    const request = stepRequest('http', { apiKey: 'k-123456', url: 'http://127.0.0.1' }, { secret: ['apiKey'] });
    const log = childFor(request, 3, root);
    log.info({ headers: { authorization: 'Bearer zzz-top' }, password: 'p4ss' }, 'calling with k-123456');
    log.debug('debug line');
    await new Promise((resolve) => setImmediate(resolve));
    const lines = out.text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      level: 30,
      component: 'activities',
      reviewId: 'review-1',
      pipeline: 'test-pipeline',
      stepId: 'step-1',
      kind: 'step',
      attempt: 3,
      msg: 'calling with [redacted]',
      headers: { authorization: '[redacted]' },
      password: '[redacted]',
    });
    expect(lines[1]).toMatchObject({ msg: 'debug line' });
    expect(out.text()).not.toMatch(/zzz-top|p4ss|k-123456/);
  });

  test('reads the level from LOG_LEVEL and refuses unknown levels clearly', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL="loud" is not a log level; use one of trace, debug/);
  });
});
