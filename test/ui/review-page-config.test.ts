// The review page's settings: a bad one is named as the user gave it (the CLI's flag or the environment
// variable) and the message says what that setting is for.
import { reviewPageConfig } from '../../src/ui/config';
import { cliInProcess } from '../helpers/cli-in-process';

const refusal = (env: Record<string, string>, overrides: { listen?: string } = {}): string => {
  try {
    reviewPageConfig(env, overrides);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the settings were accepted');
};

describe('the review page settings', () => {
  test('a listen address that is not host:port names --listen or REVIEW_UI_ADDRESS, whichever was given', () => {
    expect(refusal({}, { listen: 'abc' })).toContain("--listen 'abc' is not an address to listen on: write host:port, e.g. 127.0.0.1:8088");
    expect(refusal({ REVIEW_UI_ADDRESS: 'abc' })).toContain("REVIEW_UI_ADDRESS 'abc' is not an address to listen on: write host:port");
    expect(refusal({ REVIEW_UI_ADDRESS: '127.0.0.1:8088' }, { listen: 'abc' })).not.toContain('--address');
  });

  test.each([
    ['99999', 'its port 99999 is above 65535'],
    ['123456', 'its port 123456 is above 65535'],
    ['0', "give a port from 1 to 65535 (the page's links name it)"],
  ])('port %s is refused, naming the setting', (port, why) => {
    expect(refusal({}, { listen: `127.0.0.1:${port}` })).toContain(`--listen '127.0.0.1:${port}' is not an address to listen on: ${why}`);
    expect(refusal({ REVIEW_UI_ADDRESS: `127.0.0.1:${port}` })).toContain(`REVIEW_UI_ADDRESS '127.0.0.1:${port}' is not an address to listen on: ${why}`);
  });

  test('ports 1 and 65535 and IPv6 hosts are fine; the config says where the address came from', () => {
    expect(reviewPageConfig({}, { listen: '[::1]:65535' })).toMatchObject({ host: '::1', port: 65535, addressSetting: '--listen', baseUrl: 'http://[::1]:65535' });
    expect(reviewPageConfig({ REVIEW_UI_ADDRESS: '0.0.0.0:1' })).toMatchObject({ host: '0.0.0.0', port: 1, addressSetting: 'REVIEW_UI_ADDRESS' });
    expect(reviewPageConfig({})).toMatchObject({ host: '127.0.0.1', port: 8088, addressSetting: 'REVIEW_UI_ADDRESS' });
  });

  test('REVIEW_WEB_UI_URL is asked for as the Temporal Web UI, REVIEW_UI_BASE_URL as the review page', () => {
    const webUi = refusal({ REVIEW_WEB_UI_URL: 'bad' });
    expect(webUi).toContain("REVIEW_WEB_UI_URL 'bad' is not a URL; write where the Temporal Web UI is reached, e.g. http://127.0.0.1:8233");
    expect(webUi).not.toContain('review page is reached');
    expect(refusal({ REVIEW_WEB_UI_URL: 'ftp://temporal.example.com' })).toContain('where the Temporal Web UI is reached');
    expect(refusal({ REVIEW_UI_BASE_URL: 'bad' })).toContain("REVIEW_UI_BASE_URL 'bad' is not a URL; write where the review page is reached");
  });

  test('review ui --listen names --listen, not the global --address', async () => {
    for (const listen of ['abc', '127.0.0.1:99999']) {
      const run = await cliInProcess('ui', '--listen', listen);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`--listen '${listen}'`);
      expect(run.stderr).not.toContain('--address');
      expect(run.stderr).not.toContain('options.port');
    }
  });
});
