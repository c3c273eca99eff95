import fc from 'fast-check';
import { stringify } from 'yaml';
import { BUILTIN_EXECUTOR_TYPES } from '../../src/definition/builtin-executors';
import { parsePipelineText } from '../../src/definition/load';
import { validatePipeline } from '../../src/definition/validate';
import { dagArbitrary } from './arbitraries';

const key = fc.stringMatching(/^[a-zA-Z_][\w-]{0,8}$/).filter((k) => k !== '__proto__');
const trickyStrings = fc.constantFrom('yes', 'no', 'null', '~', '1.0', '0x1f', '- a', ': x', '#c', 'a: b', '${ x }', 'true', '', ' padded ', 'line\nbreak', "it's", '"q"', '@at', '*star', '&amp', '!bang', '%p', '{x}', '[y]');
const scalar = fc.oneof(
  fc.string().filter((s) => !s.includes('${{')),
  trickyStrings,
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constantFrom(0.5, 1e21, -3.25),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
}));
const duration = fc.constantFrom('500ms', '30s', '5m', '2h', '1h30m', '1.5h');
const inputs = fc.dictionary(key, value, { maxKeys: 4 });

const stepExtras = fc.record(
  {
    name: fc.string(),
    priority: fc.constantFrom('critical', 'high', 'normal', 'low'),
    retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 10 }), initialInterval: fc.constantFrom('1s', '2s'), backoff: fc.constantFrom('exponential', 'linear', 'fixed'), nonRetryableErrors: fc.array(fc.constantFrom('A', 'B')) }, { requiredKeys: [] }),
    timeout: fc.record({ startToClose: duration, heartbeat: duration }, { requiredKeys: [] }),
    onFailure: fc.constantFrom('fail', 'continue'),
    if: fc.constantFrom("params.flag == true", "${{ input.kind != 'docs' }}"),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.record({ uses: fc.constantFrom(...BUILTIN_EXECUTOR_TYPES), with: inputs }, { requiredKeys: ['uses'] }),
  fc.record({ gate: fc.record({ approvers: fc.constant(['role:editor', 'ann']), required: fc.integer({ min: 1, max: 3 }), deadline: fc.constant('2d'), reminders: fc.constant(['1d', '12h']), onTimeout: fc.constantFrom('reject', 'approve', 'fail') }, { requiredKeys: ['approvers', 'deadline'] }) }),
);

const pipelineArbitrary = dagArbitrary(15).chain(({ nodes }) =>
  fc
    .tuple(
      fc.array(fc.tuple(body, stepExtras), { minLength: nodes.length, maxLength: nodes.length }),
      fc.record(
        {
          version: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constantFrom('1.0', '2')),
          description: fc.string(),
          timeout: duration,
          maxParallel: fc.integer({ min: 1, max: 50 }),
          priority: fc.constantFrom('critical', 'high', 'normal', 'low'),
          defaults: fc.record({ priority: fc.constantFrom('high', 'low'), onFailure: fc.constantFrom('fail', 'continue') }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    )
    .map(([steps, top]) => ({
      name: 'random-review',
      ...top,
      params: { flag: { type: 'boolean', default: false }, n: { type: 'number', required: true, description: 'how many' } },
      steps: nodes.map((node, i) => {
        const [stepBody, extras] = steps[i] as [Record<string, unknown>, Record<string, unknown>];
        // A gate runs nothing: validation refuses a retry or timeout on it.
        const { retry, timeout, ...gateExtras } = extras;
        const own = stepBody.gate ? gateExtras : { ...gateExtras, ...(retry ? { retry } : {}), ...(timeout ? { timeout } : {}) };
        return { id: node.id, ...(node.needs.length > 0 ? { needs: node.needs } : {}), ...stepBody, ...own };
      }),
    })),
);

describe('valid random pipelines', () => {
  it('validate, and round-trip through YAML and JSON unchanged', () => {
    fc.assert(
      fc.property(pipelineArbitrary, (raw) => {
        const direct = validatePipeline(raw, { executorTypes: BUILTIN_EXECUTOR_TYPES });
        if (!direct.ok) throw new Error(direct.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
        const viaYaml = parsePipelineText(stringify(raw), { format: 'yaml', executorTypes: BUILTIN_EXECUTOR_TYPES });
        const viaJson = parsePipelineText(JSON.stringify(raw, null, 2), { format: 'json', executorTypes: BUILTIN_EXECUTOR_TYPES });
        expect(viaYaml).toEqual(direct);
        expect(viaJson).toEqual(direct);
        const again = parsePipelineText(stringify(direct.pipeline), { format: 'yaml' });
        expect(again).toEqual({ ok: true, pipeline: direct.pipeline, warnings: [] });
      }),
      { numRuns: 150 },
    );
  });
});
