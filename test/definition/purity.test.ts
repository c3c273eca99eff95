import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '..', '..', 'src', 'definition');
const PURE = [
  'schema.ts',
  'expressions.ts',
  'duration.ts',
  'graph.ts',
  'plan.ts',
  'settings.ts',
  'issues.ts',
  'suggest.ts',
  'schema-issues.ts',
  'validate.ts',
  'templates.ts',
  'render.ts',
  'retry.ts',
  'builtin-executors.ts',
  'secrets.ts',
  'credentials.ts',
  'executor-outputs.ts',
  'executor-catalog.ts',
  'verdict.ts',
  'timeout-spec.ts',
  'zero-durations.ts',
  'secret-uses.ts',
  'index.ts',
];

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('modules the workflow sandbox may load', () => {
  it.each(PURE)('%s imports only zod and other pure modules', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const specifier of importsOf(source)) {
      const ok = specifier === 'zod' || (specifier.startsWith('./') && PURE.includes(`${specifier.slice(2)}.ts`));
      if (!ok) throw new Error(`${file} imports ${specifier}`);
    }
    expect(source).not.toMatch(/\b(process\.|Date\.now|Math\.random|new Date\(|setTimeout|eval\(|new Function)/);
  });

  it('index.ts does not export the Node-only loaders', () => {
    const source = readFileSync(join(dir, 'index.ts'), 'utf8');
    expect(importsOf(source).filter((specifier) => /load|json-schema/.test(specifier))).toEqual([]);
  });
});
