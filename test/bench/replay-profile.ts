/**
 * Where replay CPU goes: a V8 CPU profile of a replay (replay.ts `profileReplay`) summed by area and by
 * function. Functions of the workflow bundle are attributed to their source module through the
 * bundle's `/***\/ "./path"` module markers, so our workflow code and the SDK's workflow library (both
 * inside the bundle) count apart.
 */
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled CPU time, ms (idle excluded). */
  totalMs: number;
  /** Self time by area, largest first. */
  areas: [string, number][];
  /** Self time by function, largest first. */
  functions: [string, number][];
  /** Time inside each function of our workflow code, callees included, largest first. */
  ourInclusive: [string, number][];
}

/** Line → module path of a webpack bundle (its modules start with a `/***\/ "./path":` line). */
function moduleLines(bundleText: string): { line: number; path: string }[] {
  const out: { line: number; path: string }[] = [];
  bundleText.split('\n').forEach((text, i) => {
    const m = /^\/\*\*\*\/ "([^"]+)"/.exec(text);
    if (m) out.push({ line: i, path: m[1] as string });
  });
  return out;
}

function moduleAt(modules: { line: number; path: string }[], line: number): string {
  let lo = 0;
  let hi = modules.length - 1;
  let found = '';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = modules[mid] as { line: number; path: string };
    if (m.line <= line) {
      found = m.path;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const OURS = /^\.\/(workflows|src)\//;

function bundleArea(module: string): string {
  if (OURS.test(module)) return 'our workflow code (workflows/, src/)';
  if (module.includes('@temporalio/')) return 'Temporal SDK inside the workflow (bundle)';
  if (module.includes('/zod/')) return 'zod (bundle)';
  return 'other bundled code';
}

function outsideArea(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName.startsWith('(')) return functionName;
    return 'other native code (V8, Node)';
  }
  if (/@temporalio[\\/]worker[\\/]lib[\\/]workflow[\\/]/.test(url)) return 'Temporal SDK workflow sandbox (worker/lib/workflow)';
  if (/@temporalio/.test(url)) return 'Temporal SDK worker (JS)';
  if (/rxjs/.test(url)) return 'rxjs (SDK worker pipeline)';
  if (/^node:|^internal[\\/]/.test(url)) return 'Node internals';
  return 'other JS';
}

export function summarizeProfile(profile: CpuProfile, bundlePath: string, bundleText: string): ProfileSummary {
  const bundleName = basename(bundlePath);
  const modules = moduleLines(bundleText);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const describe = new Map<number, { name: string; area: string; ours: boolean }>();
  const info = (n: ProfileNode) => {
    let d = describe.get(n.id);
    if (!d) {
      const f = n.callFrame;
      const inBundle = f.url !== '' && f.url.endsWith(bundleName);
      const module = inBundle ? moduleAt(modules, f.lineNumber) : '';
      const where = inBundle ? module.replace(/^\.\/(node_modules\/)?/, '') : f.url.split(/[\\/]/).slice(-2).join('/');
      const line = inBundle ? ` (bundle line ${f.lineNumber + 1})` : f.url ? `:${f.lineNumber + 1}` : '';
      // webpack names a module's top-level function after the module: that is the module being evaluated.
      const fn = inBundle && f.functionName === module ? '(module evaluation)' : f.functionName || '(anonymous)';
      d = {
        name: `${fn} ${where}${line}`.trim(),
        area: inBundle ? bundleArea(module) : outsideArea(f),
        ours: inBundle && OURS.test(module),
      };
      describe.set(n.id, d);
    }
    return d;
  };
  const under = (id: number, test: (frame: ProfileNode['callFrame']) => boolean): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = nodes.get(cur)?.callFrame;
      if (frame && test(frame)) return true;
    }
    return false;
  };
  // Samples taken while the profiler itself is being started or stopped are left out.
  const underInspector = (id: number) => under(id, (f) => f.url === 'node:inspector');
  // Handing each history to the SDK's core is replay's own work (a live worker decodes poll replies instead).
  const pushingHistory = (id: number) => under(id, (f) => f.functionName === 'pushHistory' && /@temporalio[\\/]worker/.test(f.url));
  // Calls into the SDK's Rust core through its native bridge (completing and polling activations).
  // The sandbox's promise hook, which records a stack trace for every promise the workflow creates.
  const inPromiseHook = (id: number) => under(id, (f) => /vm-shared\.js$/.test(f.url) && (f.functionName === 'init' || f.functionName === 'settled'));
  const inCore = (id: number) => under(id, (f) => /@temporalio[\\/]core-bridge[\\/]/.test(f.url));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const ourInclusive = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const leaf = nodes.get(id);
    if (!leaf || leaf.callFrame.functionName === '(idle)' || underInspector(id)) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const d = info(leaf);
    const area = pushingHistory(id)
      ? 'replay only: history handed to the SDK core (pushHistory)'
      : inPromiseHook(id)
        ? "SDK sandbox promise hook (a stack trace for each promise the workflow creates)"
        : inCore(id)
        ? 'Temporal SDK core (native, called through the bridge)'
        : leaf.callFrame.url === '' && leaf.callFrame.functionName === 'runInContext'
          ? 'V8 entering the workflow sandbox (runInContext self time, once per activation)'
          : d.area;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    functions.set(d.name, (functions.get(d.name) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = nodes.get(cur);
      if (!node) break;
      const c = info(node);
      if (!c.ours || seen.has(c.name)) continue;
      seen.add(c.name);
      ourInclusive.set(c.name, (ourInclusive.get(c.name) ?? 0) + ms);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, areas: sorted(areas), functions: sorted(functions), ourInclusive: sorted(ourInclusive) };
}
