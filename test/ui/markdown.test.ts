import { renderMarkdown } from '../../src/ui/markdown';
import { stepDetails } from '../../src/ui/pages/step-details';
import type { StepStatus } from '../../workflows/types';

const HOSTILE = [
  '# Report',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '[click](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:x)',
  '![pixel](https://tracker.example/p.png) ![js](javascript:alert(4))',
  '[ok](https://example.com/a?b=1&c=2)',
  '<a href="javascript:alert(5)">raw link</a>',
].join('\n\n');

describe('markdown from step outputs', () => {
  test('raw HTML is shown as text, never as markup', () => {
    const out = renderMarkdown(HOSTILE);
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toMatch(/<a href="javascript/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('links only to http(s) and mailto, opened without the page as opener; images become links', () => {
    const out = renderMarkdown(HOSTILE);
    const hrefs = [...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://tracker.example/p.png', 'https://example.com/a?b=1&amp;c=2']);
    expect(out).toContain('rel="noopener noreferrer nofollow"');
    expect(out).not.toMatch(/javascript:alert\(3\)"/);
  });

  test('a step\'s output, findings and report are escaped in its details', () => {
    const step: StepStatus = {
      id: 'report',
      name: '<b>Report</b>',
      uses: 'report',
      kind: 'task',
      needs: [],
      priority: 'normal',
      state: 'succeeded',
      attempts: 1,
      summary: '<script>alert(6)</script>',
      output: { markdown: HOSTILE, findings: [{ line: 1, rule: '<i>r</i>', message: '<svg onload=alert(7)>', severity: 'error' }] },
    };
    const out = stepDetails(step, { webUi: 'http://127.0.0.1:8233/namespaces/default/workflows/x' }).text;
    expect(out).not.toMatch(/<script|<svg|<img|<b>Report|<i>r/i);
    expect(out).toContain('&lt;svg onload=alert(7)&gt;');
    expect(out).toContain('<h1>Report</h1>');
  });
});
