import { loadWorkerConfig, slotsFor, WorkerConfigError } from '../../workers/config';

describe('worker configuration', () => {
  it('has defaults with more slots for higher tiers', () => {
    const config = loadWorkerConfig({});
    expect(config.REVIEW_TASK_QUEUE_PREFIX).toBe('review');
    expect(config.REVIEW_TIERS).toEqual(['critical', 'high', 'normal', 'low']);
    const slots = config.REVIEW_TIERS.map((t) => slotsFor(config, t));
    expect(slots).toEqual([...slots].sort((a, b) => b - a));
    expect(slots[0]).toBeGreaterThan(slots[3]!);
    expect(config.REVIEW_SHUTDOWN_GRACE).toBe(30_000);
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
      loadWorkerConfig({ REVIEW_SLOTS_HIGH: 'many', REVIEW_TIERS: 'urgent', REVIEW_SHUTDOWN_GRACE: 'soon', REVIEW_HEALTH_ADDRESS: 'localhost' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkerConfigError);
    const message = (error as Error).message;
    expect(message).toContain('REVIEW_SLOTS_HIGH must be a whole number');
    expect(message).toContain('REVIEW_TIERS must list tiers from critical, high, normal, low (got urgent)');
    expect(message).toContain('REVIEW_SHUTDOWN_GRACE must be a duration like 30s or 2m');
    expect(message).toContain('REVIEW_HEALTH_ADDRESS must be host:port');
  });
});
