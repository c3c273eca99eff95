/** `${{ secrets.NAME }}`: resolved on the worker only, and never written anywhere else. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { chainSecretResolvers, envSecretResolver, fileSecretResolver, parseSecretsFile, resolveSecrets } from '../../activities/secrets';
import { evaluateExpression, interpolate } from '../../src/definition/expressions';
import { secretNamesIn, secretPlaceholder, secretPlaceholders } from '../../src/definition/secrets';
import { credentialWarnings } from '../../src/definition/credentials';
import { validatePipeline } from '../../src/definition/validate';
import { request, runLogged } from './log-capture';

const VALUE = 'sv_8c1f3a9e5d2b7460';

describe('the secrets context in expressions', () => {
  it('evaluates secrets.NAME to a placeholder that survives string building', () => {
    const secrets = secretPlaceholders([{ with: { a: '${{ secrets.Api_Token }}', b: "${{ format('Bearer {0}', secrets.API_TOKEN) }}" } }]);
    expect(Object.keys(secrets)).toEqual(['API_TOKEN']);
    const ctx = { params: {}, input: {}, steps: {}, secrets };
    const header = interpolate("${{ format('Bearer {0}', secrets.api_token) }}", ctx) as string;
    expect(header).toMatch(/^Bearer \u0000secret:/);
    expect(evaluateExpression("join(fromJSON('[\"x\"]'), secrets.API_TOKEN)", ctx)).toBe('x');
    expect(secretNamesIn({ deep: [{ v: 'prefix ${{ secrets.ONE }} and ${{ secrets.TWO }}' }] }).sort()).toEqual(['ONE', 'TWO']);
  });

  it('is refused in if: conditions and without a literal name, with a hint', () => {
    const bad = validatePipeline({
      name: 's',
      steps: [
        { id: 'a', uses: 'echo', if: "secrets.TOKEN == 'x'" },
        { id: 'b', uses: 'echo', with: { t: '${{ secrets }}', u: "${{ secrets['a b'] }}" } },
      ],
    });
    expect(bad.ok).toBe(false);
    const messages = bad.ok ? [] : bad.issues.map((i) => `${i.path}: ${i.message} (${i.hint})`);
    expect(messages).toEqual([
      expect.stringMatching(/^steps\[0\]\.if: secrets\.TOKEN: secrets cannot be read in if: conditions \(secrets are resolved only on the worker/),
      expect.stringMatching(/^steps\[1\]\.with\.u: secrets\["a b"\] does not name a secret \(write secrets\.NAME/),
      expect.stringMatching(/^steps\[1\]\.with\.t: secrets does not name a secret/),
    ]);
  });

  it('is refused in with: where an expression would test or compare it, and passes on as it is, or through format, join, toJSON and case values', () => {
    const checked = validatePipeline({
      name: 's',
      params: { x: { type: 'string', default: 'a' } },
      steps: [
        {
          id: 'a',
          uses: 'http',
          with: {
            plain: '${{ secrets.TOKEN }}',
            header: "Bearer ${{ secrets.TOKEN }} and ${{ format('{0}', secrets.B) }} ${{ join(secrets.A, ',') }} ${{ toJSON(secrets.A) }}",
            picked: "${{ case(params.x == 'a', secrets.A, secrets.B) }}",
            compared: "${{ secrets.TOKEN == 'x' }}",
            fallback: "${{ secrets.A || secrets.B }}",
            tested: "${{ contains(secrets.TOKEN, 'ghp_') }}",
            negated: '${{ !secrets.TOKEN }}',
            asCondition: "${{ case(secrets.A, 'a', 'b') }}",
          },
        },
      ],
    });
    const messages = checked.ok ? [] : checked.issues.map((i) => `${i.path}: ${i.message.split(',')[0]}`);
    expect(messages.sort()).toEqual(
      [
        'steps[0].with.compared: secrets.TOKEN is read by the == operator',
        'steps[0].with.fallback: secrets.A is read by the || operator',
        'steps[0].with.fallback: secrets.B is read by the || operator',
        'steps[0].with.tested: secrets.TOKEN is read by contains()',
        'steps[0].with.negated: secrets.TOKEN is read by the ! operator',
        'steps[0].with.asCondition: secrets.A is read by case()',
      ].sort(),
    );
    expect(checked.ok ? '' : checked.issues[0]?.hint).toContain('pass the secret on as it is');
  });

  it('warns when a pipeline passes a credential through input or params, or writes one in', () => {
    const checked = validatePipeline({
      name: 'leaky',
      params: { token: { type: 'string' }, mode: { type: 'string', default: 'ghp_0123456789abcdefghijABCDEFGHIJ' } },
      steps: [
        { id: 'a', uses: 'http', with: { url: 'http://x', headers: { authorization: "${{ format('Bearer {0}', input.token) }}" } } },
        { id: 'b', uses: 'http', with: { url: 'http://x', headers: { authorization: "${{ format('Bearer {0}', secrets.TOKEN) }}" } } },
      ],
    });
    expect(checked.ok).toBe(true);
    const warnings = checked.ok ? checked.warnings.map((w) => `${w.path}: ${w.message}`) : [];
    expect(warnings).toEqual([
      'params.token: param \'token\' looks like a credential',
      'params.mode.default: the default of param \'mode\' looks like a credential',
      "steps[0].with.headers.authorization: a credential is passed through input or params (${{ format('Bearer {0}', input.token) }})",
    ]);
    expect(credentialWarnings({ token: 'abc12345', nested: { key: 'AKIAABCDEFGHIJKLMNOP' }, title: 'fine' }, 'input').map((w) => w.path).sort()).toEqual(['input.nested.key', 'input.token']);
  });
});

describe('resolving secrets on the worker', () => {
  it('reads REVIEW_SECRET_<NAME> only, then a secrets file (JSON or NAME=value), names ignoring case', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.env');
    writeFileSync(file, '# comment\nFROM_FILE="quoted value"\nAPI_TOKEN=file-loses\n');
    const resolver = chainSecretResolvers(envSecretResolver({ REVIEW_SECRET_API_TOKEN: 'env-wins', PATH: '/bin' }), fileSecretResolver(file));
    expect(await resolver.resolve('api_token')).toBe('env-wins');
    expect(await resolver.resolve('From_File')).toBe('quoted value');
    expect(await resolver.resolve('PATH')).toBeUndefined();
    expect(parseSecretsFile('{"a": "1"}', 'x.json').get('A')).toBe('1');
    expect(() => parseSecretsFile('just text', 'bad.env')).toThrow('bad.env:1: write NAME=value');
  });

  it('replaces placeholders deep in the input, and fails without retries when one is missing', async () => {
    const resolver = envSecretResolver({ REVIEW_SECRET_ONE: VALUE });
    const { value, values } = await resolveSecrets({ h: { auth: `Bearer ${secretPlaceholder('One')}` }, list: [secretPlaceholder('ONE')] }, resolver, 'call');
    expect(value).toEqual({ h: { auth: `Bearer ${VALUE}` }, list: [VALUE] });
    expect(values).toEqual([VALUE]);
    const missing = await resolveSecrets({ a: secretPlaceholder('NOPE') }, resolver, 'call').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApplicationFailure);
    expect((missing as ApplicationFailure).nonRetryable).toBe(true);
    expect((missing as ApplicationFailure).message).toBe(
      'step "call" reads secrets.NOPE, which is not set on this worker; looked in REVIEW_SECRET_<NAME> in the worker\'s environment',
    );
  });

  it('a command that prints secrets of the worker it never asked for (found by other means): cut out as they are, JSON-escaped, or line by line', async () => {
    const token = 'ghp_auditPersonalToken1234567890abcdef';
    const key = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAx9Pq0aZbQ3sT7uVw1yZ2c4e6g8i0k2m4o6q8s0u2w4y6A8C0', 'E2G4I6K8M0O2Q4S6U8W0Y2a4c6e8g0i2k4m6o8q0s2u4w6y8A0C2E4G6I8K0M2', '-----END RSA PRIVATE KEY-----'].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ GITHUB_APP_PRIVATE_KEY: key }));
    Object.assign(process.env, { REVIEW_SECRET_GITHUB_TOKEN: token, REVIEW_SECRETS_FILE: file });
    try {
      const script = 'const [t, k] = process.argv.slice(1); console.log("src/leak.js:1: " + t); console.log(JSON.stringify({ k })); console.log(k.split("\\n")[2])';
      const { response, logs } = await runLogged(request('command', { command: process.execPath, args: ['-e', script, token, key], findings: true }));
      const output = JSON.stringify(response);
      expect(output).toContain('src/leak.js:1: [redacted]');
      for (const leaked of [token, 'MIIEowIBAAKCAQEAx9Pq0aZbQ3sT7uVw1yZ2c4e6g8i0k2m4o6q8s0u2w4y6A8C0', 'E2G4I6K8M0O2Q4S6U8W0Y2a4c6e8g0i2k4m6o8q0s2u4w6y8A0C2E4G6I8K0M2']) {
        expect(output).not.toContain(leaked);
        expect(logs).not.toContain(leaked);
      }
    } finally {
      delete process.env.REVIEW_SECRET_GITHUB_TOKEN;
      delete process.env.REVIEW_SECRETS_FILE;
    }
  });

  it('a secrets file that is not JSON is reported without quoting it', () => {
    const error = (() => {
      try {
        parseSecretsFile("{\"A_TOKEN\": 'ghp_SuperSecretValue'}", '/etc/secrets.json');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/^secrets file \/etc\/secrets.json is not valid JSON \(its text is not repeated here/);
    expect(error?.message).not.toContain('ghp_');
  });

  it('a command that prints the secret: the executor gets the value, output and logs do not', async () => {
    process.env.REVIEW_SECRET_PRINTED = VALUE;
    try {
      const { response, logs } = await runLogged(request('command', { command: process.execPath, args: ['-e', 'console.log("got " + process.argv[1])', secretPlaceholder('PRINTED')] }));
      const output = JSON.stringify(response);
      expect(output).toContain('got [redacted]');
      expect(output).not.toContain(VALUE);
      expect(logs).not.toContain(VALUE);
    } finally {
      delete process.env.REVIEW_SECRET_PRINTED;
    }
  });
});
