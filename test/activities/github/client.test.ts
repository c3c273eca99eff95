/** Rate limits, App authentication and secrecy of credentials, against the strict stand-in. */
import { CancelledFailure } from '@temporalio/common';
import { failure, githubFixture, HEAD, type GitHubFixture } from './fixtures';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await githubFixture();
});
afterEach(() => gh.close());

const status = (extra: Record<string, unknown> = {}) => ({ action: 'status', token: gh.standIn.token, sha: HEAD, state: 'success', ...extra });

describe('github executor: rate limits', () => {
  test('a secondary rate limit (403 + retry-after) is waited out inside the attempt, heartbeating meanwhile', async () => {
    gh.standIn.rateLimitNext({ retryAfterSeconds: 2, path: /\/statuses\// });
    const started = Date.now();
    const { response, error, heartbeats } = await gh.run(status(), { heartbeatTimeoutMs: 3_000 });
    const elapsed = Date.now() - started;
    expect(error).toBeUndefined();
    expect(response?.output).toMatchObject({ state: 'success' });
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(gh.standIn.rejected.map((r) => r.status)).toEqual([403]);
    expect(gh.standIn.statuses()).toHaveLength(1);
    const waits = heartbeats.filter((h) => (h as { phase?: string } | undefined)?.phase === 'github-rate-limited');
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(gh.log.text()).toContain('"event":"github.rate-limited"');
  });

  test('429 with x-ratelimit-remaining: 0 waits until x-ratelimit-reset', async () => {
    gh.standIn.rateLimitNext({ status: 429, resetInSeconds: 1, path: /\/statuses\// });
    const started = Date.now();
    const { error } = await gh.run(status());
    expect(error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a wait longer than maxWait ends the attempt as retryable, with the wait as the next retry delay', async () => {
    gh.standIn.rateLimitNext({ retryAfterSeconds: 90, path: /\/statuses\// });
    const started = Date.now();
    const err = failure(await gh.run(status({ maxWait: '10s' })));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toMatchObject({ type: 'GitHubRateLimited', nonRetryable: false, nextRetryDelay: 90_000 });
    expect(err.message).toContain('secondary rate limit');
  });

  test('cancellation ends a rate-limit wait at once', async () => {
    gh.standIn.rateLimitNext({ retryAfterSeconds: 60, path: /\/statuses\// });
    const started = Date.now();
    const { error } = await gh.run(status(), {
      during: async (env) => {
        while (gh.standIn.rejected.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        env.cancel();
      },
    });
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(gh.standIn.statuses()).toHaveLength(0);
  });

  test('a 403 that is not a rate limit fails at once, non-retryably, with the API message', async () => {
    const err = failure(await gh.run({ action: 'check-run', token: gh.standIn.token, name: 'x', head_sha: HEAD, status: 'queued' }));
    expect(err.nonRetryable).toBe(true);
    expect(gh.standIn.rejected).toHaveLength(1);
  });
});

describe('github executor: App authentication', () => {
  test('the App JWT is exchanged for an installation token once and cached for later steps', async () => {
    for (const stepId of ['one', 'two', 'three']) {
      const { error } = await gh.run({ action: 'check-run', app: gh.app(), name: stepId, head_sha: HEAD, status: 'queued' }, { stepId });
      expect(error).toBeUndefined();
    }
    expect(gh.standIn.installationTokensIssued()).toBe(1);
    const exchanges = gh.standIn.requests.filter((r) => r.path.endsWith('/access_tokens'));
    expect(exchanges).toEqual([expect.objectContaining({ method: 'POST', auth: 'jwt', status: 201 })]);
    expect(gh.standIn.requests.filter((r) => r.path.includes('/check-runs')).every((r) => r.auth === 'app')).toBe(true);
  });

  test('an installation token close to expiry is renewed', async () => {
    await gh.close();
    gh = await githubFixture({ installationTokenTtlMs: 4 * 60_000 });
    await gh.run({ action: 'status', app: gh.app(), sha: HEAD, state: 'success' });
    await gh.run({ action: 'status', app: gh.app(), sha: HEAD, state: 'success' });
    expect(gh.standIn.installationTokensIssued()).toBe(2);
  });

  test('a revoked installation token is replaced once, on its 401', async () => {
    await gh.run({ action: 'status', app: gh.app(), sha: HEAD, state: 'pending' });
    gh.standIn.revokeInstallationTokens();
    const { error } = await gh.run({ action: 'status', app: gh.app(), sha: HEAD, state: 'success' });
    expect(error).toBeUndefined();
    expect(gh.standIn.installationTokensIssued()).toBe(2);
    expect(gh.standIn.rejected.map((r) => r.status)).toEqual([401]);
  });

  test('a bad private key or an unknown installation fail non-retryably without showing the key', async () => {
    const badKey = await gh.run({ action: 'status', app: { ...gh.app(), privateKey: 'not a pem key at all' }, sha: HEAD, state: 'success' });
    expect(failure(badKey)).toMatchObject({ type: 'GitHubAppKeyInvalid', nonRetryable: true });
    expect(failure(badKey).message).not.toContain('not a pem key');
    const unknown = await gh.run({ action: 'status', app: { ...gh.app(), installationId: 1 }, sha: HEAD, state: 'success' });
    expect(failure(unknown)).toMatchObject({ type: 'GitHubAppInstallationNotFound', nonRetryable: true });
  });
});

describe('github executor: credentials stay secret', () => {
  test('neither the token, the installation token nor the private key appear in outputs, errors or log lines', async () => {
    const token = gh.standIn.token;
    const ok = await gh.run(status());
    const bad = await gh.run(status({ token: 'ghp_definitely_not_valid_0123456789' }));
    const app = await gh.run({ action: 'check-run', app: gh.app(), name: 'review', head_sha: HEAD, conclusion: 'success' });
    const appFailure = await gh.run({ action: 'check-run', app: gh.app(), name: 'review', head_sha: 'c'.repeat(40), conclusion: 'success', details_url: 'ftp://nope' });
    expect(failure(bad)).toMatchObject({ type: 'GitHub401', nonRetryable: true, message: expect.stringContaining('Bad credentials') });
    const [installationToken] = gh.standIn.installationTokens();
    const everything = JSON.stringify([ok, bad, app, appFailure]) + gh.log.text();
    for (const secret of [token, 'ghp_definitely_not_valid_0123456789', gh.app().privateKey.split('\n')[1] as string, installationToken as string]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(everything).not.toContain(secret);
    }
  });
});
