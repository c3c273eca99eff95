import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHED_REVIEW_BYTES, cachedReviews, loadWorkerConfig, slotsFor, WORKER_BASE_BYTES, WorkerConfigError } from '../../workers/config';
import { mainHeapAdvice, recommendedHeapFlag, recommendedNodeHeapMb } from '../../workers/memory';
import { deploymentOptions, reviewQueues, stepPollers } from '../../workers/review-workers';

describe('worker configuration', () => {
  it('serves the review queue alone by default, with a cache sized from the memory it is given', () => {
    const config = loadWorkerConfig({});
    expect(config.REVIEW_TASK_QUEUE_PREFIX).toBe('review');
    expect(reviewQueues(config)).toEqual([{ name: 'review', workflows: true, stepSlots: 20 }]);
    expect(config.REVIEW_WORKER_MEMORY).toBe(280 * 2 ** 20);
    expect(cachedReviews(config)).toBe(Math.floor((280 * 2 ** 20 - WORKER_BASE_BYTES) / CACHED_REVIEW_BYTES));
    expect(cachedReviews(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '1GiB' }))).toBe(Math.floor((2 ** 30 - WORKER_BASE_BYTES) / CACHED_REVIEW_BYTES));
    expect(cachedReviews(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '100MB' }))).toBe(10);
    // as a container's memory limit is written
    expect(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '512Mi' }).REVIEW_WORKER_MEMORY).toBe(512 * 2 ** 20);
    expect(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '1Gi' }).REVIEW_WORKER_MEMORY).toBe(2 ** 30);
    expect(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '1G' }).REVIEW_WORKER_MEMORY).toBe(1e9);
    expect(cachedReviews(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '2GiB', REVIEW_CACHED_REVIEWS: '50' }))).toBe(50);
    expect(deploymentOptions(config)).toEqual({});
  });

  it("says which NODE_OPTIONS bound the main thread's heap, and warns only when it may grow well past them", () => {
    const config = loadWorkerConfig({});
    expect(recommendedNodeHeapMb(config)).toBe(256);
    expect(recommendedNodeHeapMb(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '1GiB' }))).toBeGreaterThan(256);
    expect(recommendedHeapFlag({})).toBe('--max-old-space-size=256');
    expect(recommendedHeapFlag({ REVIEW_WORKER_MEMORY: '1GiB' })).toBe(`--max-old-space-size=${recommendedNodeHeapMb(loadWorkerConfig({ REVIEW_WORKER_MEMORY: '1GiB' }))}`);
    const advice = mainHeapAdvice(config, 4096 * 2 ** 20);
    expect(advice).toContain('NODE_OPTIONS=--max-old-space-size=256');
    expect(advice).toContain('4096 MiB');
    // What V8 reports for --max-old-space-size=256: the old generation and the young one.
    expect(mainHeapAdvice(config, 304 * 2 ** 20)).toBeUndefined();
  });

  it('serves tier step queues when asked, and gives more slots to higher tiers', () => {
    const config = loadWorkerConfig({ REVIEW_TIERS: 'critical,high,normal,low', REVIEW_WORKFLOWS: 'off' });
    expect(reviewQueues(config).map((q) => [q.name, q.workflows])).toEqual([
      ['review-critical', false],
      ['review-high', false],
      ['review-normal', false],
      ['review-low', false],
    ]);
    expect(reviewQueues(loadWorkerConfig({ REVIEW_TIERS: 'low', REVIEW_TIER_WORKFLOWS: 'on' })).map((q) => [q.name, q.workflows])).toEqual([
      ['review', true],
      ['review-low', true],
    ]);
    const slots = config.REVIEW_TIERS.map((t) => slotsFor(config, t));
    expect(slots).toEqual([...slots].sort((a, b) => b - a));
    expect(slots[0]).toBeGreaterThan(slots[3]!);
    expect(config.REVIEW_SHUTDOWN_GRACE).toBe(30_000);
  });

  it('pins reviews to the deployment version named by REVIEW_BUILD_ID', () => {
    expect(deploymentOptions(loadWorkerConfig({ REVIEW_BUILD_ID: '2026.11.24-abc123' }))).toEqual({
      workerDeploymentOptions: { useWorkerVersioning: true, version: { deploymentName: 'review', buildId: '2026.11.24-abc123' }, defaultVersioningBehavior: 'PINNED' },
    });
    expect(() => loadWorkerConfig({ REVIEW_DEPLOYMENT_NAME: 'reviews' })).toThrow(/REVIEW_DEPLOYMENT_NAME is set without REVIEW_BUILD_ID/);
  });

  it('leaves step slots free of pollers, so that steps can be handed over eagerly, in the order the review scheduled them', () => {
    expect([1, 8, 20, 50, 100, 400].map((slots) => stepPollers(slots))).toEqual([1, 1, 1, 2, 5, 10]);
    expect(stepPollers(20, loadWorkerConfig({ REVIEW_STEP_POLLERS: '4' }).REVIEW_STEP_POLLERS)).toBe(4);
    expect(() => loadWorkerConfig({ REVIEW_STEP_POLLERS: '0' })).toThrow(/REVIEW_STEP_POLLERS must be at least 1/);
  });

  it('refuses a worker that would poll nothing', () => {
    expect(() => loadWorkerConfig({ REVIEW_WORKFLOWS: 'off' })).toThrow(/would poll nothing/);
  });

  it('reads and converts values from the environment', () => {
    const config = loadWorkerConfig({
      REVIEW_SLOTS_LOW: '7',
      REVIEW_TIERS: 'critical, low',
      REVIEW_SHUTDOWN_GRACE: '2m',
      LOG_LEVEL: 'DEBUG',
      REVIEW_METRICS_ADDRESS: 'off',
    });
    expect(config).toMatchObject({ REVIEW_SLOTS_LOW: 7, REVIEW_TIERS: ['critical', 'low'], REVIEW_SHUTDOWN_GRACE: 120_000, LOG_LEVEL: 'debug', REVIEW_METRICS_ADDRESS: 'off' });
  });

  it('lists every bad value at once, saying which variable and what is expected', () => {
    let error: unknown;
    try {
      loadWorkerConfig({ REVIEW_SLOTS_HIGH: 'many', REVIEW_TIERS: 'urgent', REVIEW_SHUTDOWN_GRACE: 'soon', REVIEW_HEALTH_ADDRESS: 'localhost', REVIEW_WORKER_MEMORY: 'lots', REVIEW_WORKFLOWS: 'yes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkerConfigError);
    const message = (error as Error).message;
    expect(message).toContain('REVIEW_SLOTS_HIGH must be a whole number');
    expect(message).toContain('REVIEW_TIERS must list tiers from critical, high, normal, low (got urgent)');
    expect(message).toContain('REVIEW_SHUTDOWN_GRACE must be a duration like 30s or 2m');
    expect(message).toContain("REVIEW_HEALTH_ADDRESS 'localhost' is not an address to listen on: write host:port, e.g. 127.0.0.1:8081, or off");
    expect(message).toContain('REVIEW_WORKER_MEMORY must be an amount of memory like 512MiB or 2GiB');
    expect(message).toContain('REVIEW_WORKFLOWS must be on or off');
  });

  it('settings that together do nothing, or not what they say, are refused', () => {
    expect(() => loadWorkerConfig({ REVIEW_STEP_POLLERS: '50', REVIEW_STEP_SLOTS: '20' })).toThrow('REVIEW_STEP_POLLERS (50) is above REVIEW_STEP_SLOTS (20)');
    expect(() => loadWorkerConfig({ REVIEW_WORKFLOW_SLOTS: '1' })).toThrow('REVIEW_WORKFLOW_SLOTS must be at least 2');
    expect(() => loadWorkerConfig({ REVIEW_TIER_WORKFLOWS: 'on' })).toThrow('REVIEW_TIER_WORKFLOWS is on but REVIEW_TIERS lists no tier');
    expect(loadWorkerConfig({ REVIEW_TIERS: 'critical,critical, low' }).REVIEW_TIERS).toEqual(['critical', 'low']);
  });

  it('files and directories it will need are checked at start, naming the variable', () => {
    const aFile = join(mkdtempSync(join(tmpdir(), 'config-')), 'a-file');
    writeFileSync(aFile, '');
    const message = (() => {
      try {
        loadWorkerConfig({ REVIEW_SECRETS_FILE: '/nonexistent/secrets.env', REVIEW_WORKFLOW_BUNDLE: '/nonexistent/bundle.js', REVIEW_WORKSPACE_ROOT: join(aFile, 'workspaces') });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toContain('REVIEW_SECRETS_FILE: /nonexistent/secrets.env cannot be read by this worker');
    expect(message).toContain('REVIEW_WORKFLOW_BUNDLE: /nonexistent/bundle.js cannot be read');
    expect(message).toContain(`REVIEW_WORKSPACE_ROOT: this worker cannot create or write ${join(aFile, 'workspaces')}`);
    expect(loadWorkerConfig({ REVIEW_WORKSPACE_ROOT: join(tmpdir(), 'not-yet', 'workspaces') }).REVIEW_WORKSPACE_ROOT).toBe(join(tmpdir(), 'not-yet', 'workspaces'));
  });

  it('checks the approval-link settings of reminders at start, not at the first reminder', () => {
    const links = { REVIEW_UI_KEY: 'k'.repeat(64), REVIEW_UI_BASE_URL: 'https://reviews.example.com' };
    expect(() => loadWorkerConfig({ ...links, REVIEW_UI_LINK_MAX_AGE: 'abc' })).toThrow("approval links in reminders: REVIEW_UI_LINK_MAX_AGE 'abc' is not a duration of at least 1m; write it like 12h or 7d");
    expect(() => loadWorkerConfig({ ...links, REVIEW_UI_BASE_URL: 'reviews' })).toThrow("approval links in reminders: REVIEW_UI_BASE_URL 'reviews' is not a URL");
    expect(() => loadWorkerConfig({ ...links, REVIEW_UI_LINK_MAX_AGE: '12h' })).not.toThrow();
  });

  it('refuses addresses no server could listen on: a port above 65535; for metrics, a host name (the exporter binds IP addresses only)', () => {
    expect(() => loadWorkerConfig({ REVIEW_HEALTH_ADDRESS: '127.0.0.1:99999', REVIEW_METRICS_ADDRESS: 'localhost:9464' })).toThrow(
      /REVIEW_METRICS_ADDRESS 'localhost:9464' is not an address to listen on: name an IP address, not the host name 'localhost', e.g. 127.0.0.1:9464, or off[\s\S]*REVIEW_HEALTH_ADDRESS '127.0.0.1:99999' is not an address to listen on: its port 99999 is above 65535/,
    );
    expect(loadWorkerConfig({ REVIEW_HEALTH_ADDRESS: 'localhost:8081', REVIEW_METRICS_ADDRESS: '[::1]:9464' })).toMatchObject({ REVIEW_HEALTH_ADDRESS: 'localhost:8081', REVIEW_METRICS_ADDRESS: '[::1]:9464' });
  });
});
