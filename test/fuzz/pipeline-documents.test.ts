import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { findCycle } from '../../src/definition/graph';
import { parsePipelineText, parseSource } from '../../src/definition/load';
import { PipelineSchema, type Pipeline } from '../../src/definition/schema';
import { validatePipeline, type ValidationResult } from '../../src/definition/validate';
import { builtinPipelineDir } from '../../src/pipelines';
import { structuralProblems } from '../../workflows/structure';
import { applyMutation, mutateText, mutationArbitrary, textMutationArbitrary, type MutationKind } from './mutations';
import { validPipeline } from './valid-pipelines';

const RUNS = Number(process.env.FUZZ_PIPELINE_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_241_108);

const builtins = readdirSync(builtinPipelineDir())
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => parseYaml(readFileSync(join(builtinPipelineDir(), file), 'utf8')) as Record<string, unknown>);

const documentArbitrary = fc.record({
  base: fc.oneof(fc.constantFrom(...builtins), validPipeline()),
  mutations: fc.array(mutationArbitrary, { minLength: 0, maxLength: 4 }),
  encoding: fc.constantFrom('object', 'object', 'object', 'json', 'yaml'),
  text: textMutationArbitrary,
});

/** What an accepted document must satisfy beyond the schema: unique ids, known needs, no cycle, nothing the workflow refuses. */
function soundnessProblems(pipeline: Pipeline): string[] {
  const problems: string[] = [];
  if (!PipelineSchema.safeParse(pipeline).success) problems.push('does not match PipelineSchema');
  const ids = pipeline.steps.map((s) => s.id);
  if (new Set(ids).size !== ids.length) problems.push('duplicate step ids');
  for (const step of pipeline.steps) for (const need of step.needs ?? []) if (!ids.includes(need)) problems.push(`${step.id} needs unknown ${need}`);
  const cycle = findCycle(pipeline.steps.map((s) => ({ id: s.id, needs: s.needs ?? [] })));
  if (cycle) problems.push(`cycle ${cycle.join(' -> ')}`);
  problems.push(...structuralProblems(pipeline).map((p) => `the workflow would refuse it: ${p}`));
  return problems;
}

const isMap = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The validation result, and whether the document reached the validator as a map (else issues are about the whole document). */
function run(doc: unknown, encoding: string, text: Parameters<typeof mutateText>[1]): { result: ValidationResult; rootIsMap: boolean } {
  if (encoding === 'object' && text.kind === 'none') return { result: validatePipeline(doc), rootIsMap: isMap(doc) };
  let source: string;
  let format: 'json' | 'yaml' = encoding === 'yaml' ? 'yaml' : 'json';
  try {
    source = encoding === 'yaml' ? stringifyYaml(doc) : (JSON.stringify(doc) ?? 'null');
  } catch {
    source = JSON.stringify(doc) ?? 'null';
    format = 'yaml';
  }
  const mutated = mutateText(source, text);
  const result = parsePipelineText(mutated, { format, file: `fuzz.${format}` });
  return { result, rootIsMap: result.ok || isMap(parseSource(mutated, { format }).data) };
}

describe('fuzzing pipeline documents', () => {
  it(`rejects every broken document with located, explained issues and accepts only sound ones (${RUNS} documents)`, () => {
    const stats = { tried: 0, accepted: 0, rejected: 0, issues: 0, byMutation: {} as Record<string, { tried: number; rejected: number }> };
    const failures = new Map<string, { count: number; example: string }>();
    const timeByKind: Record<string, number> = {};
    const fail = (signature: string, example: string) => {
      const entry = failures.get(signature);
      if (entry) entry.count += 1;
      else failures.set(signature, { count: 1, example: example.slice(0, 400) });
    };
    fc.assert(
      fc.property(documentArbitrary, ({ base, mutations, encoding, text }) => {
        let doc: unknown = structuredClone(base);
        for (const m of mutations) doc = applyMutation(doc, m);
        const kinds: string[] = [...new Set<MutationKind | string>(mutations.map((m) => m.kind))];
        if (text.kind !== 'none') kinds.push(`text-${text.kind}`);
        if (kinds.length === 0) kinds.push('none');
        const label = `${kinds.join('+')} (${encoding})`;
        stats.tried += 1;
        let result: ValidationResult;
        let rootIsMap: boolean;
        const started = Date.now();
        try {
          ({ result, rootIsMap } = run(doc, encoding, text));
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          fail(`threw ${message.split(/:\s*/).slice(0, 2).join(': ').slice(0, 120)}`, `${message} for ${label}`);
          return;
        } finally {
          for (const kind of kinds) timeByKind[kind] = (timeByKind[kind] ?? 0) + Date.now() - started;
        }
        for (const kind of kinds) {
          const entry = (stats.byMutation[kind] ??= { tried: 0, rejected: 0 });
          entry.tried += 1;
          if (!result.ok) entry.rejected += 1;
        }
        if (result.ok) {
          stats.accepted += 1;
          const problems = soundnessProblems(result.pipeline);
          if (problems.length > 0) fail(`accepted an unsound pipeline: ${problems[0]?.replace(/s\d+/g, 'sN')}`, `${problems.join('; ')} for ${label}`);
          return;
        }
        stats.rejected += 1;
        stats.issues += result.issues.length;
        if (result.issues.length === 0) fail('rejected without any issue', label);
        for (const issue of result.issues) {
          if (typeof issue.path !== 'string' || !issue.message?.trim() || !issue.hint?.trim()) {
            fail('issue without message or hint', `${JSON.stringify(issue)} for ${label}`);
          } else if (issue.path === '' && issue.line === undefined && rootIsMap) {
            fail('issue with neither a path nor a line', `${JSON.stringify(issue)} for ${label}`);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The figures for the README's Reliability section.
    console.log(
      `pipeline fuzzing (seed ${SEED}): ${stats.tried} documents tried, ${stats.rejected} rejected with ${stats.issues} issues, ${stats.accepted} accepted (all sound)\n` +
        Object.entries(stats.byMutation)
          .sort()
          .map(([kind, s]) => `  ${kind}: ${s.tried} tried, ${s.rejected} rejected`)
          .join('\n'),
    );
    if (process.env.FUZZ_TIMING) console.log(timeByKind);
    expect([...failures].map(([signature, f]) => `${signature} (${f.count}×), e.g. ${f.example}`)).toEqual([]);
    expect(stats.tried).toBe(RUNS);
    expect(stats.rejected).toBeGreaterThan(RUNS / 2);
  }, 180_000);
});
