import { resolve } from 'node:path';
import { parseFindingLine, FindingCollector } from '../../activities/lib/output-findings';
import { makeActivities, runActivity, stepRequest } from './helpers';

describe('findings read from output lines', () => {
  test.each([
    ['src/a.js:3: trailing whitespace', { path: 'src/a.js', line: 3, rule: '', message: 'trailing whitespace', severity: 'error' }],
    ['./src/a.js:3:7: warning: unused variable x', { path: 'src/a.js', line: 3, column: 7, rule: '', message: 'unused variable x', severity: 'warning' }],
    ['lib/b.ts(12,5): error TS2322: Type string is not assignable', { path: 'lib/b.ts', line: 12, column: 5, rule: 'TS2322', message: 'Type string is not assignable', severity: 'error' }],
    ['/work/repo/src/c.py:9:1: note: consider a constant', { path: 'src/c.py', line: 9, column: 1, rule: '', message: 'consider a constant', severity: 'info' }],
    ['\u001b[31msrc/a.js:4: eval() runs arbitrary code\u001b[0m', { path: 'src/a.js', line: 4, rule: '', message: 'eval() runs arbitrary code', severity: 'error' }],
  ])('%s', (line, expected) => {
    expect(parseFindingLine(line, '/work/repo')).toEqual(expected);
  });

  test.each([
    'lint: 0 problem(s) in 6 files',
    '> sample-change@1.0.0 lint',
    '    at Object.<anonymous> (/work/repo/src/a.js:3:9)',
    'Error: connect ECONNREFUSED 127.0.0.1:443',
    'localhost:8080: connection refused',
    '/etc/passwd:1: outside the checkout',
    '../other/a.js:1: outside the checkout',
    'src/a.js:0: no such line',
  ])('not a finding: %s', (line) => {
    expect(parseFindingLine(line, '/work/repo')).toBeUndefined();
  });

  test('keeps at most the given number and counts the rest', () => {
    const collector = new FindingCollector(undefined, 2);
    for (let i = 1; i <= 5; i += 1) collector.push(`a.js:${i}: problem ${i}`);
    expect(collector.findings.map((f) => f.line)).toEqual([1, 2]);
    expect(collector.dropped).toBe(3);
  });

  test('the command executor returns them with findings: true, and only then', async () => {
    const activities = makeActivities();
    const script = 'console.error("src/a.js:2: trailing whitespace"); console.log("src/b.js(1,1): error TS1005: \';\' expected"); process.exit(1)';
    const cwd = resolve(__dirname);
    const withFindings = await runActivity(activities, stepRequest('command', { command: process.execPath, args: ['-e', script], cwd, okExitCodes: [0, 1], findings: true }));
    const found = (withFindings.response?.output as { findings: unknown[] }).findings;
    // stdout and stderr interleave in no fixed order
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'src/b.js', line: 1, column: 1, rule: 'TS1005', message: "';' expected", severity: 'error' },
        { path: 'src/a.js', line: 2, rule: '', message: 'trailing whitespace', severity: 'error' },
      ]),
    );
    const without = await runActivity(activities, stepRequest('command', { command: process.execPath, args: ['-e', script], cwd, okExitCodes: [0, 1] }));
    expect(without.response?.output).not.toHaveProperty('findings');
  });
});
