/** `npm run test:faults [-- --reviews 200 --kills 10 --cut 30000]`: the full fault campaign, printing its counts. */
import { runFaultCampaign } from './campaign';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

runFaultCampaign({
  reviews: flag('reviews', 200),
  kills: flag('kills', 10),
  networkCutMs: flag('cut', 30_000),
  serverRestart: !process.argv.includes('--no-server-restart'),
})
  .then((report) => {
    console.log(JSON.stringify(report, null, 2));
    process.exit(report.reviewsLost === 0 && report.duplicatedSideEffects === 0 ? 0 : 1);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
