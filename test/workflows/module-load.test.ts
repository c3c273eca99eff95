/**
 * The workflow bundle's modules are evaluated once per cached review (each review gets its own module state), so
 * whatever they build at load is paid by every review the worker holds: workflow code loads neither zod (about
 * half a megabyte per review) nor the pipeline schemas.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

describe('what a review costs the worker when its modules load', () => {
  const modules = loadedModules(join(root, 'workflows', 'index.ts'));

  it('loads neither zod nor the pipeline schemas', () => {
    const zodUsers = [...modules.entries()].filter(([, imports]) => imports.includes('zod')).map(([file]) => file.slice(root.length + 1));
    expect(zodUsers).toEqual([]);
    expect([...modules.keys()].map((f) => f.slice(root.length + 1))).not.toContain('src/definition/schema.ts');
  });

  it('loads the code of the first version only for the reviews that version started', () => {
    const files = [...modules.keys()].map((f) => f.slice(root.length + 1));
    expect(files.filter((f) => f.startsWith('workflows/legacy/') && !f.endsWith('/types.ts'))).toEqual([]);
    expect(readFileSync(join(root, 'workflows', 'review.ts'), 'utf8')).toContain("require('./legacy/review-v1')");
  });
});
