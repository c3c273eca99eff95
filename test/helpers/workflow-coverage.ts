/**
 * Line coverage of the workflow code, which runs in the Temporal workflow sandbox where jest's own
 * coverage cannot see it.
 *
 * - global-setup builds the shared test bundle with `instrumentedBundle`: istanbul instruments
 *   `workflows/` and `src/` after swc (`workflow-coverage-loader.js`, so the coverage and the bundle's
 *   source maps lead to the `.ts` files), the static coverage data of every instrumented file is
 *   written to `<dir>/structure-*.json`, and `workflow-coverage-interceptors.ts` is added to the bundle.
 * - In every test process `workflow-coverage-setup.ts` (in worker processes tests start,
 *   `workflow-coverage-preload.js`) patches `Worker.create` and the replay worker so every worker gets
 *   the `workflowCoverage` sink, which adds the counters the interceptor sends after each activation;
 *   whenever a worker stops they are written to `<dir>/hits-*.json`.
 * - global-teardown calls `reportWorkflowCoverage`: it merges everything, maps it back to the `.ts`
 *   sources, prints the line coverage of `workflows/` and writes `coverage/workflows-summary.json`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BundleOptions, InjectedSinks, Worker, WorkerOptions } from '@temporalio/worker';
import type * as LibCoverage from 'istanbul-lib-coverage';
import type { WorkflowCoverageHits, WorkflowCoverageSinks } from './workflow-coverage-interceptors';

// Loaded only where used (global setup and teardown), not in every test file.
/* eslint-disable @typescript-eslint/no-require-imports */
const libCoverage = (): typeof LibCoverage => require('istanbul-lib-coverage') as typeof LibCoverage;
// It ships no types; the part used here.
const libSourceMaps = () =>
  require('istanbul-lib-source-maps') as {
    createSourceMapStore(): { transformCoverage(map: LibCoverage.CoverageMap): Promise<LibCoverage.CoverageMap> };
  };
/* eslint-enable @typescript-eslint/no-require-imports */

/** Set (by global-setup, when jest collects coverage) to the directory the test processes write workflow coverage to. */
export const WORKFLOW_COVERAGE_DIR_ENV = 'REVIEW_WORKFLOW_COVERAGE_DIR';

export const PROJECT_ROOT = join(__dirname, '..', '..');
/** Code instrumented in the workflow bundle. */
const INSTRUMENTED_DIRS = [join(PROJECT_ROOT, 'workflows'), join(PROJECT_ROOT, 'src')];
/** The figure reported: `workflows/` without the frozen copy kept for replaying old histories. */
const REPORTED_DIR = join(PROJECT_ROOT, 'workflows') + sep;
const EXCLUDED_DIRS = [join(PROJECT_ROOT, 'workflows', 'legacy') + sep];
const INTERCEPTOR_MODULE = join(__dirname, 'workflow-coverage-interceptors.ts');

const uniqueName = (kind: string): string => `${kind}-${process.pid}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.json`;

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

export interface InstrumentedBundle {
  options: BundleOptions;
  /** Writes the static coverage data of the instrumented files; call once the bundle is built. */
  writeStructure(): void;
}

/** Bundle options that instrument the workflow code for coverage, whose results go under `dir`. */
export function instrumentedBundle(options: BundleOptions, dir: string): InstrumentedBundle {
  const structure: LibCoverage.CoverageMapData = {};
  const onFile = (path: string, data: LibCoverage.FileCoverageData): void => void (structure[path] = data);
  const previousHook = options.webpackConfigHook;
  return {
    options: {
      ...options,
      workflowInterceptorModules: [...(options.workflowInterceptorModules ?? []), INTERCEPTOR_MODULE],
      webpackConfigHook: (config: WebpackConfig) => {
        const instrument = {
          test: /\.[tj]s$/,
          include: INSTRUMENTED_DIRS,
          exclude: /[/\\]node_modules[/\\]/,
          enforce: 'post' as const,
          use: { loader: join(__dirname, 'workflow-coverage-loader.js'), options: { onFile } },
        };
        const withCoverage: WebpackConfig = {
          ...config,
          module: { ...config.module, rules: [...(config.module?.rules ?? []), instrument] },
        };
        return previousHook ? previousHook(withCoverage) : withCoverage;
      },
    },
    writeStructure: () => writeJson(join(dir, uniqueName('structure')), structure),
  };
}

function writeJson(file: string, data: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(data));
}

// ---- test processes: sinks on every worker, counters to disk when a worker stops ----

const hits: WorkflowCoverageHits = {};
let hitsFile: string | undefined;
let dirty = false;

function addHits(into: WorkflowCoverageHits, more: WorkflowCoverageHits): void {
  for (const [path, file] of Object.entries(more)) {
    const total = (into[path] ??= { s: {}, f: {}, b: {} });
    for (const [id, n] of Object.entries(file.s)) total.s[id] = (total.s[id] ?? 0) + n;
    for (const [id, n] of Object.entries(file.f)) total.f[id] = (total.f[id] ?? 0) + n;
    for (const [id, arms] of Object.entries(file.b)) {
      const sum = (total.b[id] ??= arms.map(() => 0));
      arms.forEach((n, i) => (sum[i] = (sum[i] ?? 0) + n));
    }
  }
}

const coverageSinks: InjectedSinks<WorkflowCoverageSinks> = {
  workflowCoverage: {
    hits: {
      fn: (_info, moved) => {
        addHits(hits, moved);
        dirty = true;
      },
      // Replay runs workflow code too (and replay tests run nothing else).
      callDuringReplay: true,
    },
  },
};

function flushHits(dir: string): void {
  if (!dirty) return;
  dirty = false;
  hitsFile ??= join(dir, uniqueName('hits'));
  try {
    writeJson(hitsFile, hits);
  } catch (err) {
    console.error(`workflow coverage: could not write ${hitsFile}: ${String(err)}`);
  }
}

function withSinks<T extends Pick<WorkerOptions, 'sinks'>>(options: T): T {
  return { ...options, sinks: { ...coverageSinks, ...options.sinks } };
}

/**
 * Gives every worker of this process the coverage sink and writes this process's counters under
 * `dir` whenever a worker stops. Patches the class, so workers created anywhere (test helpers,
 * `workers/`) are covered. A bundle without the interceptor never calls the sink.
 */
export function collectWorkflowCoverage(WorkerClass: typeof Worker, dir: string): void {
  const patched = WorkerClass as unknown as {
    create(options: WorkerOptions): Promise<Worker>;
    constructReplayWorker(options: WorkerOptions): Promise<unknown>;
    __workflowCoverage?: boolean;
  };
  if (patched.__workflowCoverage) return;
  patched.__workflowCoverage = true;
  const create = patched.create;
  patched.create = function (this: unknown, options) {
    return create.call(this, withSinks(options));
  };
  const constructReplayWorker = patched.constructReplayWorker;
  patched.constructReplayWorker = function (this: unknown, options) {
    return constructReplayWorker.call(this, withSinks(options));
  };
  const run = WorkerClass.prototype.run;
  WorkerClass.prototype.run = async function (this: Worker) {
    try {
      return await run.call(this);
    } finally {
      flushHits(dir);
    }
  };
}

// ---- global-teardown: merge, map to sources, report ----

export interface WorkflowCoverageSummary {
  /** Line coverage of `workflows/**` without `workflows/legacy/**`. */
  workflows: { lines: CoverageCounts; files: Record<string, CoverageCounts> };
  /** `workflows/legacy/**`, the frozen copy kept to replay histories of reviews the first version started. */
  legacy: { lines: CoverageCounts; files: Record<string, CoverageCounts> };
  /** Line coverage of the `src/` code the workflow bundle imports, as run in the sandbox. */
  srcInBundle: { lines: CoverageCounts; files: Record<string, CoverageCounts> };
  /** Files under `workflows/` with lines but not in the bundle (counted as not run). */
  workflowFilesNotInBundle: string[];
  hitFiles: number;
}

interface CoverageCounts {
  total: number;
  covered: number;
  pct: number;
}

/** Coverage data, nothing run, of a TypeScript file the bundle does not contain (undefined if it has no code). */
function instrumentOutsideBundle(file: string): LibCoverage.FileCoverageData | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createInstrumenter } = require('istanbul-lib-instrument') as {
    createInstrumenter(opts: object): { instrumentSync(code: string, file: string, map: object): string; lastFileCoverage(): LibCoverage.FileCoverageData };
  };
  try {
    const out = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    const instrumenter = createInstrumenter({ esModules: true });
    instrumenter.instrumentSync(out.outputText, file, JSON.parse(out.sourceMapText ?? '{}'));
    const data = instrumenter.lastFileCoverage();
    return Object.keys(data.statementMap).length ? data : undefined;
  } catch {
    return undefined;
  }
}

function listTs(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return entries.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f));
}

function linesOf(map: LibCoverage.CoverageMap, files: string[]): { lines: CoverageCounts; files: Record<string, CoverageCounts> } {
  const total = libCoverage().createCoverageSummary();
  const perFile: Record<string, CoverageCounts> = {};
  for (const file of files.sort()) {
    const summary = map.fileCoverageFor(file).toSummary();
    total.merge(summary);
    const { total: t, covered, pct } = summary.lines;
    perFile[relative(PROJECT_ROOT, file)] = { total: t, covered, pct };
  }
  const { total: t, covered } = total.lines;
  return { lines: { total: t, covered, pct: t === 0 ? 100 : Math.round((covered / t) * 1000) / 10 }, files: perFile };
}

/**
 * Merges the coverage the test processes wrote under `dir`, prints the line coverage of
 * `workflows/` and writes `workflows-summary.json` and `workflows/coverage-final.json` (istanbul
 * JSON, mapped to the `.ts` sources) under `outDir`. Removes `dir`.
 */
export async function reportWorkflowCoverage(dir: string, outDir: string): Promise<WorkflowCoverageSummary | undefined> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const structure: LibCoverage.CoverageMapData = {};
  for (const name of names.filter((n) => n.startsWith('structure-'))) Object.assign(structure, read(name));
  const total: WorkflowCoverageHits = {};
  const hitNames = names.filter((n) => n.startsWith('hits-'));
  for (const name of hitNames) addHits(total, read(name) as WorkflowCoverageHits);

  for (const [path, file] of Object.entries(total)) {
    const data = structure[path];
    if (!data) continue;
    for (const [id, n] of Object.entries(file.s)) if (id in data.s) data.s[id]! += n;
    for (const [id, n] of Object.entries(file.f)) if (id in data.f) data.f[id]! += n;
    for (const [id, arms] of Object.entries(file.b)) {
      const into = data.b[id];
      if (into) arms.forEach((n, i) => (into[i] = (into[i] ?? 0) + n));
    }
  }
  // Files of workflows/ the bundle does not contain still have lines: count them as not run.
  const notInBundle = listTs(join(PROJECT_ROOT, 'workflows')).filter((f) => !(f in structure));
  for (const file of notInBundle) {
    const unrun = instrumentOutsideBundle(file);
    if (unrun) structure[file] = unrun;
  }
  const mapped = await libSourceMaps().createSourceMapStore().transformCoverage(libCoverage().createCoverageMap(structure));
  const files = mapped.files();
  const workflowFiles = files.filter((f) => f.startsWith(REPORTED_DIR) && !EXCLUDED_DIRS.some((d) => f.startsWith(d)));
  const legacyFiles = files.filter((f) => EXCLUDED_DIRS.some((d) => f.startsWith(d)));
  const srcFiles = files.filter((f) => f.startsWith(join(PROJECT_ROOT, 'src') + sep));
  const summary: WorkflowCoverageSummary = {
    workflows: linesOf(mapped, workflowFiles),
    legacy: linesOf(mapped, legacyFiles),
    srcInBundle: linesOf(mapped, srcFiles),
    workflowFilesNotInBundle: notInBundle
      .filter((f) => !EXCLUDED_DIRS.some((d) => f.startsWith(d)) && workflowFiles.includes(f))
      .map((f) => relative(PROJECT_ROOT, f))
      .sort(),
    hitFiles: hitNames.length,
  };
  mkdirSync(join(outDir, 'workflows'), { recursive: true });
  writeFileSync(join(outDir, 'workflows-summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(outDir, 'workflows', 'coverage-final.json'), JSON.stringify(mapped.toJSON()));
  rmSync(dir, { recursive: true, force: true });

  if (hitNames.length === 0) {
    console.log('\nWorkflow code coverage: no workflow code ran in these tests (workflows/)\n');
    return summary;
  }
  const { lines } = summary.workflows;
  const src = summary.srcInBundle.lines;
  const legacy = summary.legacy.lines;
  console.log(
    [
      '',
      `Workflow code coverage: ${lines.pct.toFixed(1)}% of lines (workflows/) (${lines.covered}/${lines.total}; workflows/legacy/ excluded)`,
      ...(legacy.total ? [`  workflows/legacy/ (frozen, for replaying old histories): ${legacy.pct.toFixed(1)}% of lines (${legacy.covered}/${legacy.total})`] : []),
      `  src/ code run in the workflow sandbox: ${src.pct.toFixed(1)}% of lines (${src.covered}/${src.total})`,
      ...(summary.workflowFilesNotInBundle.length
        ? [`  not in the workflow bundle (counted as not run): ${summary.workflowFilesNotInBundle.join(', ')}`]
        : []),
      `  per file: ${relative(PROJECT_ROOT, join(outDir, 'workflows-summary.json'))}`,
      '',
    ].join('\n'),
  );
  return summary;
}
