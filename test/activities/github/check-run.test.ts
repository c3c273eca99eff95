/** action: check-run against the strict stand-in. */
import { failure, findings, githubFixture, HEAD, type GitHubFixture } from './fixtures';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await githubFixture();
});
afterEach(() => gh.close());

const base = () => ({ action: 'check-run', app: gh.app(), name: 'review', head_sha: HEAD });

describe('github executor: check-run', () => {
  test('120 findings become 3 requests of at most 50 annotations; the run completes with the last one', async () => {
    const { response, error } = await gh.run({ ...base(), status: 'completed', conclusion: 'failure', findings: findings(120), details_url: 'https://ci.example.com/r/1' });
    expect(error).toBeUndefined();
    expect(response?.output).toMatchObject({
      action: 'check-run',
      created: true,
      status: 'completed',
      conclusion: 'failure',
      annotations: 120,
      annotationRequests: 3,
      skippedFindings: 0,
      summaryCut: false,
    });
    const [run] = gh.standIn.checkRuns();
    expect(run?.annotationBatches).toEqual([50, 50, 20]);
    expect(run?.annotations).toHaveLength(120);
    expect(run?.annotations[0]).toEqual({
      path: 'docs/guide.md',
      start_line: 1,
      end_line: 1,
      start_column: null,
      end_column: null,
      annotation_level: 'failure',
      message: 'problem number 1',
      title: 'rule-0',
      raw_details: null,
    });
    expect(run?.annotations.map((a) => a.annotation_level).slice(0, 3)).toEqual(['failure', 'warning', 'notice']);
    expect(run?.output.summary).toBe('120 findings: 40 errors, 40 warnings, 40 notices.');
    const writes = gh.standIn.requests.filter((r) => r.path.includes('/check-runs') && r.method !== 'GET');
    expect(writes.map((r) => [r.method, (r.body as { status?: string }).status, (r.body as { conclusion?: string }).conclusion])).toEqual([
      ['POST', 'in_progress', undefined],
      ['PATCH', undefined, undefined],
      ['PATCH', 'completed', 'failure'],
    ]);
    expect(response?.output).toMatchObject({ checkRunId: run?.id, htmlUrl: expect.stringContaining(`/runs/${run?.id}`) });
    expect(response?.summary).toBe(`check run ${run?.id} completed (failure), 120 annotations`);
  });

  test('every request carries GitHub\'s headers', async () => {
    await gh.run({ ...base(), status: 'in_progress' });
    expect(gh.standIn.requests.length).toBeGreaterThan(0);
    for (const request of gh.standIn.requests) {
      expect(request.headers).toMatchObject({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'review-orchestrator' });
    }
  });

  test('findings from earlier steps\' results, in the file each check names; those without a file are listed in the summary', async () => {
    const { response } = await gh.run({
      ...base(),
      conclusion: 'neutral',
      results: {
        spelling: { status: 'succeeded', output: { passed: false, source: 'posts/article.md', findings: [{ line: 4, column: 7, rule: 'spelling', message: 'Unknown word "teh"', severity: 'warning' }] } },
        readability: { status: 'succeeded', output: { passed: true, source: 'content', findings: [{ line: 2, rule: 'grade', message: 'Hard to read', severity: 'info' }] } },
        lint: { status: 'succeeded', output: { exitCode: 0 } },
      },
    });
    expect(response?.output).toMatchObject({ annotations: 1, skippedFindings: 1, conclusion: 'neutral', status: 'completed' });
    const [run] = gh.standIn.checkRuns();
    expect(run?.annotations).toEqual([
      expect.objectContaining({ path: 'posts/article.md', start_line: 4, end_line: 4, start_column: 7, end_column: 7, annotation_level: 'warning', title: 'spelling: spelling' }),
    ]);
    expect(run?.output.summary).toContain('### Findings without a file');
    expect(run?.output.summary).toContain('- readability: grade: Hard to read (line 2)');
  });

  test('a summary over 65535 characters is cut and says so', async () => {
    const { response } = await gh.run({ ...base(), conclusion: 'success', output: { title: 'Review', summary: '🙂'.repeat(40_000) } });
    expect(response?.output).toMatchObject({ summaryCut: true });
    const summary = gh.standIn.checkRuns()[0]?.output.summary ?? '';
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(summary).toMatch(/summary cut to fit GitHub's limit of 65535 characters; 80000 characters in full\)$/);
    expect(summary).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  test('a later step with the same name updates the run of the same review instead of creating another', async () => {
    const started = await gh.run({ ...base(), status: 'in_progress', output: { title: 'Review', summary: 'Checks are running' } }, { stepId: 'check-start' });
    const finished = await gh.run({ ...base(), conclusion: 'success', findings: findings(3) }, { stepId: 'check-finish' });
    expect(started.response?.output).toMatchObject({ created: true, status: 'in_progress' });
    expect(finished.response?.output).toMatchObject({ created: false, status: 'completed', conclusion: 'success', checkRunId: (started.response?.output as { checkRunId: number }).checkRunId });
    expect(gh.standIn.checkRuns()).toHaveLength(1);
    // Another review of the same commit gets its own run.
    await gh.run({ ...base(), status: 'queued' }, { reviewId: 'review-2' });
    expect(gh.standIn.checkRuns().map((run) => run.external_id)).toEqual(['review-1', 'review-2']);
  });

  test('idempotent under activity retries: a create whose answer was lost is found again, and no annotation is sent twice', async () => {
    gh.standIn.failNext({ method: 'POST', path: /\/check-runs$/, afterHandling: true, status: 502 });
    const first = await gh.run({ ...base(), conclusion: 'failure', findings: findings(120) });
    expect(failure(first)).toMatchObject({ type: 'GitHub502', nonRetryable: false });
    expect(gh.standIn.checkRuns()[0]?.annotations).toHaveLength(50);

    const retry = await gh.run({ ...base(), conclusion: 'failure', findings: findings(120) }, { attempt: 2 });
    expect(retry.error).toBeUndefined();
    expect(retry.response?.output).toMatchObject({ created: false, annotations: 120, annotationRequests: 2, conclusion: 'failure' });
    const runs = gh.standIn.checkRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.annotationBatches).toEqual([50, 50, 20]);
    expect(new Set(runs[0]?.annotations.map((a) => a.message)).size).toBe(120);
  });

  test('check_run_id updates that run directly', async () => {
    const created = await gh.run({ ...base(), status: 'queued' });
    const id = (created.response?.output as { checkRunId: number }).checkRunId;
    const updated = await gh.run({ ...base(), name: 'review', check_run_id: String(id), conclusion: 'cancelled' }, { reviewId: 'other-review' });
    expect(updated.response?.output).toMatchObject({ checkRunId: id, created: false, conclusion: 'cancelled' });
  });

  test('a plain token is refused by GitHub for check runs: non-retryable, says an App is needed, no token in the message', async () => {
    const token = gh.standIn.token;
    const result = await gh.run({ action: 'check-run', token, name: 'review', head_sha: HEAD, conclusion: 'success' });
    const err = failure(result);
    expect(err).toMatchObject({ type: 'GitHubCheckRunsNeedApp', nonRetryable: true });
    expect(err.message).toContain('Resource not accessible by integration');
    expect(err.message).toContain('only a GitHub App may create or update check runs');
    expect(JSON.stringify(err)).not.toContain(token);
    expect(gh.log.text()).not.toContain(token);
  });

  test('input errors are caught before any request: completed without conclusion, both token and app, a short sha', async () => {
    expect(failure(await gh.run({ ...base(), status: 'completed' })).message).toContain('with.conclusion');
    expect(failure(await gh.run({ ...base(), token: 'x', status: 'queued' })).message).toContain('either `token` or `app`');
    expect(failure(await gh.run({ ...base(), head_sha: 'abc123' })).message).toContain('with.head_sha');
    expect(failure(await gh.run({ ...base(), status: 'queued', findings: [{ line: 1, message: 'm', severity: 'fatal' }] })).type).toBe('InvalidStepInput');
    expect(gh.standIn.requests).toHaveLength(0);
  });

  test('asked for success while a step of `results` found problems, the run concludes failure and says which steps', async () => {
    const { response, error } = await gh.run({
      ...base(),
      status: 'completed',
      conclusion: 'success',
      details_url: 'https://reviews.example.com/reviews/pr-7',
      output: { title: 'Review completed', summary: '# Report' },
      results: {
        lint: { status: 'succeeded', output: { exitCode: 1, passed: false, findings: [{ path: 'a.js', line: 1, rule: 'lint', message: 'var', severity: 'error' }] } },
        tests: { status: 'succeeded', output: { exitCode: 0, passed: true } },
        spelling: { status: 'skipped' },
      },
    });
    expect(error).toBeUndefined();
    expect(response?.output).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const [run] = gh.standIn.checkRuns();
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', details_url: 'https://reviews.example.com/reviews/pr-7' });
    expect(run?.output.summary).toMatch(/^\*\*Concluded failure, not success\*\*: `lint` found problems\.\n\n# Report/);
    expect(gh.log.text()).toContain('concludes failure, not success');
  });

  test('a step that failed outright counts as found problems; results that all passed or had nothing to judge keep success', async () => {
    const failed = await gh.run({ ...base(), conclusion: 'success', results: { tests: { status: 'failed', output: { exitCode: 2 } } } }, { reviewId: 'r-failed' });
    expect(failed.response?.output).toMatchObject({ conclusion: 'failure' });
    const clean = await gh.run(
      { ...base(), conclusion: 'success', results: { lint: { status: 'succeeded', output: { passed: true, findings: [] } }, checkout: { status: 'succeeded', output: { path: '/w' } }, gate: { status: 'skipped' } } },
      { reviewId: 'r-clean' },
    );
    expect(clean.response?.output).toMatchObject({ conclusion: 'success' });
    // Only `success` is raised: a conclusion the pipeline chose otherwise (neutral, cancelled) stands.
    const neutral = await gh.run({ ...base(), conclusion: 'neutral', results: { lint: { status: 'succeeded', output: { passed: false } } } }, { reviewId: 'r-neutral' });
    expect(neutral.response?.output).toMatchObject({ conclusion: 'neutral' });
  });
});
