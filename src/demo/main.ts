/**
 * `npm run demo`: a real blog review of the article shipped with the project and a real PR review of a
 * sample change, on the local dev server. Starts what is missing (dev server, worker), shows live
 * progress, approves the gates through the `review` CLI as a person would, prints both results, and
 * stops what it started unless `--keep` is given.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectReviewClient, type ReviewClient, type ReviewStatus } from '../client';
import { progressBar } from '../cli/render/format';
import { renderStatus } from '../cli/render/status';
import { ensureDevServer, startWorker, workerPolling, type WorkerChild } from './services';
import { startStandIns } from './stand-ins';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

interface DemoReview {
  label: string;
  id: string;
  gate: string;
  approver: { by: string; role: string; comment: string };
}

async function reviewCli(address: string, args: string[]): Promise<string> {
  console.log(`  $ review ${args.join(' ')}`);
  const { stdout } = await run(process.execPath, [join(ROOT, 'bin', 'review.js'), ...args, '--address', address], { cwd: ROOT });
  return stdout.trim();
}

function progressLine(review: DemoReview, status: ReviewStatus): string {
  const active = status.steps.filter((s) => ['running', 'retrying', 'awaiting_approval'].includes(s.state)).map((s) => s.id);
  return `  ${review.label.padEnd(11)} ${progressBar(status.progress.percent, 20)}  ${status.state.padEnd(17)} ${active.join(', ')}`;
}

async function follow(client: ReviewClient, address: string, review: DemoReview): Promise<ReviewStatus> {
  let approved = false;
  let last = '';
  for await (const status of client.watch(review.id, { intervalMs: 300 })) {
    const line = progressLine(review, status);
    if (line !== last) console.log(line);
    last = line;
    const gate = status.steps.find((s) => s.id === review.gate);
    if (!approved && gate?.state === 'awaiting_approval') {
      approved = true;
      console.log(`  ${review.label}: ${review.gate} waits for approval (role ${review.approver.role}); approving it:`);
      console.log(
        `  ${await reviewCli(address, ['approve', review.id, '--step', review.gate, '--by', review.approver.by, '--role', review.approver.role, '--comment', review.approver.comment])}`,
      );
    }
  }
  return client.result(review.id);
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const port = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_DEV_UI_PORT ?? port + 1000);
  const address = `127.0.0.1:${port}`;
  const started: string[] = [];
  const server = await ensureDevServer(port, uiPort);
  console.log(server ? `Started a Temporal dev server on ${address} (Web UI http://127.0.0.1:${uiPort})` : `Using the Temporal server already on ${address}`);
  if (server) started.push('dev server');
  let worker: WorkerChild | undefined;
  if (!(await workerPolling(address))) {
    worker = await startWorker(address);
    started.push('worker');
    console.log(`Started a review worker (logs: ${worker.logFile})`);
  } else {
    console.log('Using the review worker already running');
  }
  const standIns = await startStandIns();
  console.log(`Local stand-ins for the CMS, chat and code host: ${standIns.baseUrl}\n`);
  const client = await connectReviewClient({ address });
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  try {
    const blog = await client.startReview(
      'blog-review',
      {
        article: join(ROOT, 'activities', 'samples', 'article.md'),
        title: 'Durable reviews with Temporal',
        publishUrl: `${standIns.baseUrl}/cms/articles`,
        notifyUrl: `${standIns.baseUrl}/chat/blog`,
      },
      { id: `demo-blog-${stamp}`, params: { strict: false, minReadingEase: 30, maxMisspellings: 5 }, subject: 'article.md', tenant: 'blog' },
    );
    const pr = await client.startReview(
      'pr-review',
      {
        checkout: join(ROOT, 'activities', 'samples', 'sample-change'),
        repo: 'acme/widgets',
        number: 42,
        title: 'Add widget sizing',
        statusUrl: `${standIns.baseUrl}/repos/acme/widgets/statuses`,
        mergeUrl: `${standIns.baseUrl}/repos/acme/widgets/pulls/42/merge`,
        token: 'demo-token',
      },
      { id: `demo-pr-${stamp}`, params: { language: 'javascript', strict: false }, subject: 'acme/widgets#42', tenant: 'acme/widgets' },
    );
    console.log(`Started ${blog.reviewId} (blog-review) and ${pr.reviewId} (pr-review)\n`);
    const reviews: DemoReview[] = [
      { label: 'blog-review', id: blog.reviewId, gate: 'editor-approval', approver: { by: 'alice', role: 'editor', comment: 'Reads well. Ship it.' } },
      { label: 'pr-review', id: pr.reviewId, gate: 'maintainer-approval', approver: { by: 'bob', role: 'maintainer', comment: 'LGTM' } },
    ];
    const results = await Promise.all(reviews.map((r) => follow(client, address, r)));
    for (const [i, result] of results.entries()) {
      const review = reviews[i] as DemoReview;
      console.log(`\n${renderStatus(result, { color: process.stdout.isTTY })}`);
      console.log(`  Web UI:  http://127.0.0.1:${uiPort}/namespaces/default/workflows/${review.id}`);
      console.log(`  CLI:     npx review status ${review.id}`);
    }
    console.log(`\nThe stand-ins received ${standIns.calls.length} calls: ${standIns.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`);
    const failed = results.filter((r) => r.state !== 'completed');
    if (failed.length) process.exitCode = 1;
  } finally {
    await client.close();
    await standIns.close();
    if (keep) {
      console.log(`\n--keep: leaving ${started.join(' and ') || 'nothing'} running.`);
      worker?.child.unref();
      server?.process.unref();
    } else {
      await worker?.stop();
      await server?.stop();
      if (started.length) console.log(`\nStopped the ${started.join(' and ')} this demo started (use --keep to leave them running).`);
    }
  }
  if (keep) process.exit(process.exitCode ?? 0);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
