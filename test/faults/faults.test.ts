import { runFaultCampaign } from './campaign';

describe('fault campaign (short form; npm run test:faults runs the full one)', () => {
  it('loses no review and applies no side effect twice through worker kills, a server restart and a network cut', async () => {
    const report = await runFaultCampaign({ reviews: 20, kills: 4, serverRestart: true, networkCutMs: 5_000, log: () => undefined });
    console.log(`fault campaign: ${JSON.stringify(report)}`);
    expect(report.workerKills).toBe(4);
    expect(report.serverRestarts).toBe(1);
    expect(report.reviewsCompleted).toBe(20);
    expect(report.reviewsLost).toBe(0);
    expect(report.sideEffectsApplied).toBe(report.sideEffectsExpected);
    expect(report.duplicatedSideEffects).toBe(0);
  }, 600_000);
});
