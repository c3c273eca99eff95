import { resolve } from 'node:path';
import { makeActivities, runActivity, stepRequest } from './helpers';

const activities = makeActivities();

interface Report {
  markdown: string;
  passed: boolean;
  counts: Record<string, number>;
}

async function report(results: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ output: Report; summary?: string }> {
  const { response, error } = await runActivity(activities, stepRequest('report', { results, ...extra }));
  if (error) throw error;
  return { output: response?.output as Report, summary: response?.summary };
}

describe('report executor', () => {
  test('merges step outcomes and findings into one markdown report', async () => {
    const { output, summary } = await report(
      {
        lint: {
          status: 'succeeded',
          summary: 'failed; 2 findings (1 error, 1 warning)',
          output: {
            passed: false,
            findings: [
              { line: 14, rule: 'MD001/heading-increment', message: 'Heading levels | should increment by one', severity: 'error' },
              { line: 3, rule: 'MD009', message: 'Trailing spaces', severity: 'warning' },
            ],
          },
        },
        spelling: { status: 'succeeded', output: { passed: true, findings: [{ line: 2, rule: 'misspelling', message: '"teh"', severity: 'warning' }] } },
        tests: { status: 'failed', error: { message: 'npm test exited with code 1', details: { stderrTail: 'FAIL src/a.test.js\n1 failing' } } },
        deploy: { status: 'skipped' },
        build: { status: 'succeeded', output: { exitCode: 0, passed: true } },
      },
      { title: 'PR #42 review' },
    );
    expect(output.passed).toBe(false);
    expect(output.counts).toEqual({ steps: 5, passed: 2, failed: 2, skipped: 1, findings: 3, errors: 1, warnings: 2 });
    const md = output.markdown;
    expect(md).toMatch(/^# PR #42 review\n/);
    expect(md).toContain('**Failed**: 2 of 5 steps passed, 2 failed, 1 skipped; 3 findings (1 errors, 2 warnings).');
    expect(md).toContain('| lint | ❌ failed | failed; 2 findings (1 error, 1 warning) |');
    expect(md).toContain('| build | ✅ passed | exit 0 |');
    expect(md).toContain('| deploy | ⏭️ skipped |  |');
    expect(md).toContain('| tests | ❌ failed | npm test exited with code 1 |');
    const errorRow = md.indexOf('| error | lint | 14 | MD001/heading-increment | Heading levels \\| should increment by one |');
    expect(errorRow).toBeGreaterThan(0);
    expect(errorRow).toBeLessThan(md.indexOf('| warning | lint | 3 |'));
    expect(md).toContain('## Failures');
    expect(md).toContain('FAIL src/a.test.js\n1 failing');
    expect(summary).toBe('2 of 5 steps failed, 1 skipped; 3 findings');
  });

  test('passes when every step passed, and limits the findings listed', async () => {
    const findings = Array.from({ length: 30 }, (_, i) => ({ line: i + 1, rule: 'r', message: `m${i}`, severity: 'info' }));
    const { output, summary } = await report({ a: { status: 'succeeded', output: { passed: true, findings } } }, { maxFindings: 5 });
    expect(output.passed).toBe(true);
    expect(summary).toBe('1 of 1 steps passed; 30 findings');
    expect(output.markdown).toContain('## Top findings (5 of 30)');
    expect(output.markdown.match(/\| info \|/g)).toHaveLength(5);
  });

  test('reports on real check outputs from the sample article', async () => {
    const path = resolve(__dirname, '../../activities/samples/article.md');
    const results: Record<string, unknown> = {};
    for (const uses of ['markdown-lint', 'spelling', 'seo']) {
      const { response } = await runActivity(activities, stepRequest(uses, { path }));
      results[uses] = { status: 'succeeded', output: response?.output, summary: response?.summary };
    }
    const { output } = await report(results);
    expect(output.counts).toMatchObject({ steps: 3, failed: 2, passed: 1 });
    expect(output.markdown).toContain('MD001/heading-increment');
    expect(output.markdown).toContain('"recieve"');
  });
});
