import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CheckOutput, Finding } from '../../activities';
import { makeActivities, runActivity, startServer, stepRequest, type LocalServer } from './helpers';

const activities = makeActivities();
const FIXTURE = resolve(__dirname, '../fixtures/activities/problem-article.md');
const SAMPLE = resolve(__dirname, '../../activities/samples/article.md');

async function check(uses: string, input: Record<string, unknown>): Promise<{ output: CheckOutput; summary?: string }> {
  const { response, error } = await runActivity(activities, stepRequest(uses, input));
  if (error) throw error;
  return { output: response?.output as CheckOutput, summary: response?.summary };
}

const at = (findings: Finding[], rule: string): number[] => findings.filter((f) => f.rule === rule).map((f) => f.line);

/** The 1-based line of the first line of `file` containing `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('markdown-lint', () => {
  test('reports markdownlint rules with line numbers', async () => {
    const { output, summary } = await check('markdown-lint', { path: FIXTURE });
    expect(output.passed).toBe(false);
    expect(at(output.findings, 'MD001/heading-increment')).toEqual([14]);
    expect(at(output.findings, 'MD045/no-alt-text')).toEqual([19]);
    expect(at(output.findings, 'MD025/single-title')).toContain(21);
    expect(output.findings.find((f) => f.rule === 'MD001/heading-increment')?.message).toContain('Expected: h3; Actual: h4');
    expect(summary).toMatch(/^failed; \d+ findings \(\d+ errors\)$/);
  });

  test('configuration, warnings and thresholds come from `with`', async () => {
    const { output } = await check('markdown-lint', {
      path: FIXTURE,
      config: { MD025: false, MD051: false },
      warn: ['no-alt-text'],
      maxErrors: 1,
    });
    expect(output.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['MD001/heading-increment', 'error'],
      ['MD045/no-alt-text', 'warning'],
    ]);
    expect(output.passed).toBe(true);
  });

  test('clean content passes', async () => {
    const { output } = await check('markdown-lint', { content: '# Title\n\nA short paragraph.\n' });
    expect(output).toMatchObject({ passed: true, findings: [] });
  });

  test('needs exactly one of path and content; a missing file is non-retryable', async () => {
    const both = await runActivity(activities, stepRequest('markdown-lint', { path: FIXTURE, content: 'x' }));
    expect(both.error).toMatchObject({ type: 'InvalidStepInput', nonRetryable: true });
    const missing = await runActivity(activities, stepRequest('markdown-lint', { path: '/no/such/article.md' }));
    expect(missing.error).toMatchObject({ type: 'ContentNotFound', nonRetryable: true });
  });
});

describe('readability', () => {
  test('scores the prose and flags long sentences and hard paragraphs on their lines', async () => {
    const { output } = await check('readability', { path: FIXTURE });
    expect(output.passed).toBe(false);
    expect(at(output.findings, 'long-sentence')).toEqual([16]);
    expect(at(output.findings, 'hard-paragraph')).toEqual([16]);
    expect(output.findings.find((f) => f.rule === 'reading-ease')?.severity).toBe('error');
    expect(output.metrics).toMatchObject({ words: expect.any(Number), fleschReadingEase: expect.any(Number), fleschKincaidGrade: expect.any(Number) });
    expect(output.metrics?.fleschKincaidGrade as number).toBeGreaterThan(12);
  });

  test('plain prose passes with default thresholds; thresholds are configurable', async () => {
    const content = 'The cat sat on the mat. It was a warm day. The sun was out and the birds sang.\n';
    const easy = await check('readability', { content });
    expect(easy.output.passed).toBe(true);
    expect(easy.output.metrics?.fleschReadingEase as number).toBeGreaterThan(80);
    const strict = await check('readability', { content, minReadingEase: 120 });
    expect(strict.output.passed).toBe(false);
  });

  test('the sample article reads well but has one overlong sentence', async () => {
    const { output } = await check('readability', { path: SAMPLE });
    expect(output.passed).toBe(true);
    expect(at(output.findings, 'long-sentence')).toEqual([lineOf(SAMPLE, 'It is one of the most common ways')]);
  });
});

describe('spelling', () => {
  test('finds misspellings in prose with suggestions, not in code or front matter', async () => {
    const { output } = await check('spelling', { path: FIXTURE });
    expect(output.passed).toBe(false);
    const words = output.findings.map((f) => /"([^"]+)"/.exec(f.message)?.[1]);
    expect(output.findings.find((f) => f.message.startsWith('"recieve"'))).toMatchObject({ line: 10, rule: 'misspelling' });
    expect(output.findings.find((f) => f.message.startsWith('"recieve"'))?.message).toContain('"receive"');
    expect(output.findings.find((f) => f.message.startsWith('"definately"'))).toMatchObject({ line: 23 });
    expect(words).not.toContain('mispeled');
    expect(words).not.toContain('codeword');
    expect(words).not.toContain('Bad_Slug');
  });

  test('extra words from `with` and from the front matter are accepted', async () => {
    const { output } = await check('spelling', { path: FIXTURE, words: ['recieve', 'definately', 'lifecycle', 'benchmarking'] });
    expect(output).toMatchObject({ passed: true, findings: [] });
    const sample = await check('spelling', { path: SAMPLE });
    expect(sample.output.findings.map((f) => [f.line, f.message.slice(0, 9)])).toEqual([[lineOf(SAMPLE, 'recieve'), '"recieve"']]);
  });

  test('software terms, acronyms and identifiers are not flagged', async () => {
    const { output } = await check('spelling', { content: 'Use exponential backoff for retryable calls to the HTTP API from our TypeScript code in myVariable.\n' });
    expect(output.findings).toEqual([]);
  });
});

describe('seo', () => {
  test('checks front matter fields and page structure on their lines', async () => {
    const { output } = await check('seo', { path: FIXTURE });
    expect(output.passed).toBe(false);
    expect(at(output.findings, 'title-length')).toEqual([2]);
    expect(at(output.findings, 'description-length')).toEqual([3]);
    expect(output.findings.find((f) => f.rule === 'invalid-date')).toMatchObject({ line: 4, severity: 'error' });
    expect(at(output.findings, 'slug-format')).toEqual([5]);
    expect(at(output.findings, 'image-alt')).toEqual([19]);
    expect(at(output.findings, 'multiple-h1')).toEqual([21]);
    expect(output.findings.find((f) => f.rule === 'recommended-field')?.message).toContain('"tags"');
    expect(at(output.findings, 'thin-content')).toEqual([1]);
  });

  test('missing or broken front matter fails', async () => {
    const none = await check('seo', { content: 'Just text.\n' });
    expect(none.output.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['front-matter-missing', 'missing-title']));
    const broken = await check('seo', { content: '---\ntitle: a: b: c\n---\n\n# T\n' });
    expect(broken.output.findings.map((f) => f.rule)).toContain('front-matter-invalid');
    expect(broken.output.passed).toBe(false);
  });

  test('the sample article passes, with a warning for its image without alt text', async () => {
    const { output } = await check('seo', { path: SAMPLE });
    expect(output.passed).toBe(true);
    expect(output.findings).toEqual([
      expect.objectContaining({ rule: 'image-alt', line: lineOf(SAMPLE, 'retry-timeline.png'), severity: 'warning' }),
    ]);
    expect(output.metrics).toMatchObject({ titleLength: 66, readingTimeMinutes: expect.any(Number) });
  });
});

describe('links', () => {
  let server: LocalServer;
  let dir: string;
  let article: string;

  beforeAll(async () => {
    server = await startServer((req, _body, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/hang') return;
      if (path === '/get-only' && req.method === 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      const status = path === '/missing' ? 404 : path === '/error' ? 500 : path === '/limited' ? 429 : 200;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('body');
    });
    dir = mkdtempSync(join(tmpdir(), 'links-'));
    article = join(dir, 'article.md');
    writeFileSync(article, readFileSync(FIXTURE, 'utf8').replaceAll('{{BASE}}', server.url));
    writeFileSync(join(dir, 'sibling.md'), '# Sibling\n');
  });

  afterAll(() => server.close());

  test('checks http links, local files and anchors, reporting each broken one on its line', async () => {
    const { output, summary } = await check('links', { path: article });
    expect(output.passed).toBe(false);
    const broken = output.findings.map((f) => [f.line, f.rule, f.message.split(':')[0]]);
    expect(broken).toEqual(
      expect.arrayContaining([
        [18, 'broken-link', `link ${server.url}/missing`.split(':')[0]],
        [19, 'missing-anchor', 'link #nowhere'],
        [18, 'missing-file', 'link ./notes.md'],
        [19, 'missing-file', 'image ./diagram.png'],
      ]),
    );
    expect(output.findings.find((f) => f.message.includes('/missing'))?.message).toContain('answered 404');
    expect(output.findings.find((f) => f.message.includes('/error'))?.message).toContain('answered 500');
    expect(output.findings.some((f) => f.message.includes('/ok'))).toBe(false);
    expect(output.findings.some((f) => f.message.includes('sibling.md'))).toBe(false);
    expect(output.findings.some((f) => f.message.includes('#why-it-matters'))).toBe(false);
    expect(output.metrics).toMatchObject({ links: 8, broken: 5 });
    expect(summary).toBe('failed; 5 findings (5 errors)');
    expect(server.requests.some((r) => r.method === 'HEAD' && r.url === '/ok')).toBe(true);
  });

  test('falls back to GET when HEAD is refused; 429 is a warning; ignore and checkExternal skip links', async () => {
    const content = `[a](${server.url}/get-only) [b](${server.url}/limited) [c](${server.url}/missing) [d](https://example.invalid/x)\n`;
    const { output } = await check('links', { content, ignore: [`${server.url}/missing`, '/example\\.invalid/'] });
    expect(output.findings).toEqual([expect.objectContaining({ rule: 'rate-limited', severity: 'warning', line: 1 })]);
    expect(output.passed).toBe(true);
    expect(server.requests.some((r) => r.method === 'GET' && r.url === '/get-only')).toBe(true);

    const offline = await check('links', { content, checkExternal: false });
    expect(offline.output).toMatchObject({ passed: true, findings: [], metrics: { skipped: 4 } });
  });

  test('unreachable links and timeouts are findings, not step failures', async () => {
    const content = `Line one.\n\nSee [slow](${server.url}/hang) and [closed](http://127.0.0.1:9/x).\n`;
    const { output } = await check('links', { content, timeout: '300ms' });
    expect(output.findings.map((f) => [f.line, f.rule])).toEqual([
      [3, 'unreachable-link'],
      [3, 'unreachable-link'],
    ]);
    expect(output.passed).toBe(false);
  });
});
