import fc from 'fast-check';

type Json = Record<string, unknown>;

const duration = fc.constantFrom('500ms', '1s', '30s', '5m', '2h', '1h30m', '2d');
const priority = fc.constantFrom('critical', 'high', 'normal', 'low');
const retry = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    initialInterval: fc.constantFrom('1s', '5s'),
    backoff: fc.constantFrom('exponential', 'linear', 'fixed'),
    maxInterval: fc.constantFrom('1m', '10m'),
    jitter: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
  },
  { requiredKeys: [] },
);
const stepArbitrary = fc.record({
  picks: fc.array(fc.nat(), { maxLength: 3 }),
  gate: fc.boolean(),
  priority: fc.option(priority, { nil: undefined }),
  retry: fc.option(retry, { nil: undefined }),
  timeout: fc.option(fc.oneof(duration, fc.record({ startToClose: duration })), { nil: undefined }),
  text: fc.string({ maxLength: 20 }).filter((s) => !s.includes('${{')),
  conditional: fc.boolean(),
  condition: fc.nat(3),
});

/** Conditions on the first need: plain, and with GitHub's status functions. */
const CONDITIONS = [
  (need: string) => `\${{ steps.${need}.status == 'succeeded' }}`,
  () => '${{ failure() }}',
  () => '${{ !failure() && !cancelled() }}',
  (need: string) => `always() && steps.${need}.status != 'skipped'`,
];

/** A random pipeline the validator must accept: a DAG of echo steps and gates whose expressions read only upstream steps. */
export function validPipeline(): fc.Arbitrary<Json> {
  return fc
    .record({
      name: fc.tuple(fc.constantFrom('review', 'pr', 'blog', 'hotfix'), fc.nat(999)).map(([word, n]) => `${word}-${n}`),
      timeout: fc.option(duration, { nil: undefined }),
      maxParallel: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      priority: fc.option(priority, { nil: undefined }),
      defaults: fc.option(fc.record({ retry, priority }, { requiredKeys: [] }), { nil: undefined }),
      steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
    })
    .map((raw) => {
      const steps = raw.steps.map((s, i) => {
        const needs = i === 0 ? [] : [...new Set(s.picks.map((p) => `s${p % i}`))];
        const step: Json = { id: `s${i}` };
        if (needs.length > 0) step.needs = needs;
        if (s.gate) step.gate = { approvers: ['alice', 'role:maintainer'], deadline: '2d', reminders: ['1d'] };
        else {
          step.uses = 'echo';
          step.with = { text: s.text, ...(needs[0] ? { upstream: `\${{ steps.${needs[0]}.output.text }}` } : {}) };
          if (s.retry) step.retry = s.retry;
          if (s.timeout) step.timeout = s.timeout;
        }
        if (s.priority) step.priority = s.priority;
        if (s.conditional && needs[0]) step.if = (CONDITIONS[s.condition % CONDITIONS.length] as (need: string) => string)(needs[0]);
        return step;
      });
      const doc: Json = { name: raw.name, steps };
      for (const key of ['timeout', 'maxParallel', 'priority', 'defaults'] as const) if (raw[key] !== undefined) doc[key] = raw[key];
      return doc;
    });
}
