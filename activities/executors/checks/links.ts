import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { abortReason, defineExecutor, type ExecutorContext } from '../../executor';
import { DurationMsSchema } from '../../lib/duration-input';
import { httpCall } from '../../lib/http';
import { CheckOutputSchema, hasOneSource, loadSource, ONE_SOURCE, SourceShape, sortFindings, summarizeCheck, type Finding, type Severity } from './content';
import { analyzeMarkdown, slugify, type LinkRef } from './markdown-structure';

const LinksInput = z
  .object({
    ...SourceShape,
    checkExternal: z.boolean().default(true).describe('Request http(s) links; false checks only local files and anchors'),
    timeout: DurationMsSchema.default(5_000).describe('Per link'),
    concurrency: z.number().int().min(1).max(32).default(4),
    ignore: z.array(z.string().min(1)).default([]).describe('URL prefixes, or /regular expressions/, not to check'),
    baseDir: z.string().optional().describe('Directory relative links resolve against (default: the file\'s directory)'),
    maxBroken: z.number().int().min(0).default(0),
    userAgent: z.string().default('review-orchestrator-link-check'),
  })
  .refine(hasOneSource, ONE_SOURCE);
type LinksInput = z.output<typeof LinksInput>;

interface Verdict {
  ok: boolean;
  severity?: Severity;
  rule?: string;
  message?: string;
  skipped?: boolean;
}

export const linksExecutor = defineExecutor({
  type: 'links',
  description: 'Extracts links and images from markdown and checks them: http(s) with HEAD/GET, local files, and #anchors',
  input: LinksInput,
  output: CheckOutputSchema,
  async run(input, ctx) {
    const source = await loadSource(input);
    const structure = analyzeMarkdown(source.text);
    const anchors = new Set(structure.headings.map((h) => slugify(h.text)));
    const baseDir = input.baseDir ?? (source.path ? dirname(source.path) : undefined);
    const ignore = input.ignore.map(toMatcher);
    const verdicts = new Map<string, Promise<Verdict>>();
    const queue = new Limiter(input.concurrency);
    let checked = 0;

    const verdictFor = (link: LinkRef): Promise<Verdict> => {
      const key = link.url;
      let verdict = verdicts.get(key);
      if (!verdict) {
        verdict = queue.run(async () => {
          const result = await check(link.url, { input, ctx, anchors, baseDir, ignore });
          checked += 1;
          ctx.heartbeat({ checked, total: verdicts.size });
          return result;
        });
        verdicts.set(key, verdict);
      }
      return verdict;
    };

    const results = await Promise.all(structure.links.map(async (link) => ({ link, verdict: await verdictFor(link) })));
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    const findings: Finding[] = [];
    for (const { link, verdict } of results) {
      if (verdict.ok || verdict.skipped) continue;
      findings.push({
        line: link.line,
        rule: verdict.rule ?? 'broken-link',
        message: `${link.image ? 'image' : 'link'} ${link.url}: ${verdict.message ?? 'broken'}`,
        severity: verdict.severity ?? 'error',
      });
    }
    const broken = findings.filter((f) => f.severity === 'error').length;
    return {
      passed: broken <= input.maxBroken,
      findings: sortFindings(findings),
      metrics: {
        links: structure.links.length,
        distinct: verdicts.size,
        broken,
        warnings: findings.length - broken,
        skipped: results.filter((r) => r.verdict.skipped).length,
      },
      source: source.name,
    };
  },
  summarize: summarizeCheck,
});

interface CheckContext {
  input: LinksInput;
  ctx: ExecutorContext;
  anchors: Set<string>;
  baseDir: string | undefined;
  ignore: Array<(url: string) => boolean>;
}

async function check(url: string, c: CheckContext): Promise<Verdict> {
  if (url.trim() === '') return { ok: false, rule: 'empty-link', message: 'has no target' };
  if (c.ignore.some((matches) => matches(url))) return { ok: true, skipped: true };
  if (url.startsWith('#')) {
    return c.anchors.has(decodeURIComponent(url.slice(1)).toLowerCase())
      ? { ok: true }
      : { ok: false, rule: 'missing-anchor', message: 'no heading has this anchor' };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    return c.input.checkExternal ? checkHttp(url, c) : { ok: true, skipped: true };
  }
  if (scheme !== undefined || url.startsWith('//')) return { ok: true, skipped: true };
  if (!c.baseDir) return { ok: true, skipped: true };
  const target = resolve(c.baseDir, decodeURIComponent(url.replace(/[?#].*$/, '')));
  return access(target).then(
    () => ({ ok: true }),
    () => ({ ok: false, rule: 'missing-file', message: `no file at ${target}` }),
  );
}

async function checkHttp(url: string, c: CheckContext): Promise<Verdict> {
  const headers = { 'user-agent': c.input.userAgent, accept: '*/*' };
  try {
    let response = await httpCall({ method: 'HEAD', url, headers, timeoutMs: c.input.timeout }, c.ctx.signal);
    if (response.status === 405 || response.status === 501 || response.status === 403) {
      response = await httpCall({ method: 'GET', url, headers, timeoutMs: c.input.timeout }, c.ctx.signal);
      await response.body?.cancel().catch(() => undefined);
    }
    const status = response.status;
    if (status < 400) return { ok: true };
    if (status === 429) return { ok: false, severity: 'warning', rule: 'rate-limited', message: 'answered 429 (rate limited); not verified' };
    if (status === 401 || status === 403) {
      return { ok: false, severity: 'warning', rule: 'restricted-link', message: `answered ${status}; needs a login` };
    }
    return { ok: false, rule: 'broken-link', message: `answered ${status}` };
  } catch (err) {
    if (c.ctx.signal.aborted) throw abortReason(c.ctx.signal);
    return { ok: false, rule: 'unreachable-link', message: (err as Error).message };
  }
}

function toMatcher(pattern: string): (url: string) => boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    const compiled = new RegExp(regex[1] as string, regex[2]);
    return (url) => compiled.test(url);
  }
  return (url) => url.startsWith(pattern);
}

/** Runs at most `limit` tasks at once. */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}
