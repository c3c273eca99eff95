/**
 * Validates and plans random pipelines of 500 to 5,000 steps and prints the time per step.
 * Run: npx ts-node --transpile-only test/bench/definition.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { BUILTIN_EXECUTOR_TYPES } from '../../src/definition/builtin-executors';
import { parsePipelineText } from '../../src/definition/load';
import { planPipeline } from '../../src/definition/plan';
import { validatePipeline } from '../../src/definition/validate';

const SIZES = [500, 1_000, 2_000, 5_000];
const RUNS = 5;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random DAG (about two needs per step, each step reading one need's output and one grandparent's status) or a chain. */
function makePipeline(size: number, shape: 'dag' | 'chain'): Record<string, unknown> {
  const next = random(size * 7 + (shape === 'dag' ? 1 : 2));
  const needsOf: string[][] = [];
  const steps = Array.from({ length: size }, (_, i) => {
    const id = `step-${i}`;
    let needs: string[] = [];
    if (i > 0) {
      if (shape === 'chain') needs = [`step-${i - 1}`];
      else {
        const picks = new Set<number>();
        const wanted = Math.min(i, 1 + Math.floor(next() * 3));
        while (picks.size < wanted) picks.add(Math.max(0, i - 1 - Math.floor(next() * Math.min(i, 50))));
        needs = [...picks].map((p) => `step-${p}`);
      }
    }
    needsOf.push(needs);
    const first = needs[0];
    const grandparent = first ? needsOf[Number(first.slice(5))]?.[0] : undefined;
    const step: Record<string, unknown> = {
      id,
      uses: BUILTIN_EXECUTOR_TYPES[i % BUILTIN_EXECUTOR_TYPES.length],
      with: {
        language: '${{ params.language }}',
        ...(first ? { previous: `\${{ steps.${first}.output.score }}` } : {}),
        label: `step ${i} of ${size}`,
      },
      retry: { maxAttempts: 3, initialInterval: '1s', maxInterval: '1m' },
      timeout: { startToClose: '5m' },
    };
    if (needs.length > 0) step.needs = needs;
    if (grandparent) step.if = `steps.${grandparent}.status == 'succeeded' && params.strict`;
    return step;
  });
  return {
    name: `bench-${shape}-${size}`,
    params: { language: { type: 'string', default: 'en' }, strict: { type: 'boolean', default: true } },
    steps,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

function main(): void {
  makePipeline(200, 'dag');
  for (let i = 0; i < 3; i++) {
    const warm = validatePipeline(makePipeline(1_000, 'dag'), { executorTypes: BUILTIN_EXECUTOR_TYPES });
    if (warm.ok) planPipeline(warm.pipeline);
  }
  const rows: string[][] = [['shape', 'steps', 'edges', 'validate ms', 'plan ms', 'total µs/step', 'YAML parse+validate ms']];
  for (const shape of ['dag', 'chain'] as const) {
    for (const size of SIZES) {
      const raw = makePipeline(size, shape);
      const edges = (raw.steps as { needs?: string[] }[]).reduce((n, s) => n + (s.needs?.length ?? 0), 0);
      let validated: ReturnType<typeof validatePipeline> | undefined;
      const validateMs = time(() => {
        validated = validatePipeline(raw, { executorTypes: BUILTIN_EXECUTOR_TYPES });
      });
      if (!validated?.ok) throw new Error(`benchmark pipeline is invalid: ${JSON.stringify(validated)}`.slice(0, 500));
      const pipeline = validated.pipeline;
      const planMs = time(() => {
        planPipeline({ ...pipeline });
      });
      const text = stringify(raw);
      const yamlMs = time(() => {
        if (!parsePipelineText(text, { format: 'yaml', executorTypes: BUILTIN_EXECUTOR_TYPES }).ok) throw new Error('YAML round trip failed');
      });
      rows.push([shape, String(size), String(edges), validateMs.toFixed(1), planMs.toFixed(1), (((validateMs + planMs) * 1000) / size).toFixed(1), yamlMs.toFixed(1)]);
    }
  }
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, c) => cell.padStart(widths[c] as number)).join('  ')}\n`);
}

main();
