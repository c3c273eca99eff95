/**
 * A worker evaluates the review's workflow modules once and shares them among all its reviews
 * (workers/shared-modules.ts), so they must keep no review's state at module level; and what they build at
 * load is paid by every worker: workflow code loads neither zod nor the pipeline schemas.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleReviewWorkflows } from '../../workers/review-workers';
import { SHARED_WORKFLOW_MODULES } from '../../workers/shared-modules';

const root = join(__dirname, '..', '..');

/** Runtime imports (not `import type`, not `export type`) of a TypeScript module. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1] as string);
  return specifiers;
}

function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
}

function loadedModules(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const imports = runtimeImports(file);
    seen.set(file, imports);
    for (const specifier of imports) {
      const next = resolveModule(file, specifier);
      if (next) visit(next);
    }
  };
  visit(entry);
  return seen;
}

/** Module-level collections a module changes at run time, each with why sharing it among reviews is safe. */
const SHARED_STATE_ALLOWED: Record<string, string> = {
  'src/definition/duration.ts known': 'a bounded memo of a pure function',
  'workflows/metrics.ts instruments': "the SDK's metric instruments, made once; they hold no review's values",
  'workflows/step-runner.ts backoffs': "keyed by a review's own definition objects (WeakMap)",
  'workflows/step-runner.ts stepOptions': 'keyed by the review run (WeakMap)',
};

/** `file name` of each module-level variable or collection a module may change at run time. */
function moduleLevelState(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const name = file.slice(root.length + 1);
  const variables = [...source.matchAll(/^(?:export )?(?:let|var)\s+(\w+)/gm)].map((m) => m[1] as string);
  const collections = [...source.matchAll(/^(?:export )?const (\w+)\b[^=\n]*= new (?:Map|Set|WeakMap|WeakSet)\b/gm)]
    .map((m) => m[1] as string)
    .filter((id) => new RegExp(`\\b${id}\\.(?:set|add|delete|clear)\\(`).test(source));
  return [...variables, ...collections].map((id) => `${name} ${id}`);
}

describe('the workflow modules a worker shares among its reviews', () => {
  const modules = loadedModules(join(root, 'workflows', 'index.ts'));

  it('loads neither zod nor the pipeline schemas', () => {
    const zodUsers = [...modules.entries()].filter(([, imports]) => imports.includes('zod')).map(([file]) => file.slice(root.length + 1));
    expect(zodUsers).toEqual([]);
    expect([...modules.keys()].map((f) => f.slice(root.length + 1))).not.toContain('src/definition/schema.ts');
  });

  it('keeps no review state at module level', () => {
    const state = [...modules.keys()].flatMap(moduleLevelState);
    expect(state.filter((entry) => !(entry in SHARED_STATE_ALLOWED))).toEqual([]);
    expect(state.sort()).toEqual(Object.keys(SHARED_STATE_ALLOWED).sort());
  });

  it('are every module of the workflows, the first version included', () => {
    expect(SHARED_WORKFLOW_MODULES.map((f) => f.slice(root.length + 1))).toEqual(['workflows/index.ts']);
    expect([...modules.keys()].map((f) => f.slice(root.length + 1))).toContain('workflows/legacy/review-v1.ts');
  });

  it('bundleReviewWorkflows loads them once per worker', async () => {
    const { code } = await bundleReviewWorkflows({ encodeFailures: false });
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    expect(preload).toContain('./workflows/index.ts');
  }, 120_000);
});
