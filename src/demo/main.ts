/**
 * `npm run demo`: a real blog review of the article shipped with the project and a real pull-request
 * review, on the local dev server, without network. The pull request is real too: a git repository with
 * the sample change on a feature branch, served over git's smart HTTP on loopback; GitHub is the
 * stand-in of its REST API; the webhook runs in this process and gets signed `pull_request` (opened)
 * and `pull_request_review` (approved by bob, a maintainer in the directory) deliveries in GitHub's
 * shape. The review checks the pull request out at its head commit, runs the checks, posts commit
 * statuses and merges at that commit, all through the stand-in. The blog review's gate is approved
 * through the `review` CLI as a person would. Starts a dev server when none runs, and its own worker
 * (the secrets in its environment, workspaces under a temporary directory), shows live progress,
 * prints both results and what the stand-ins received, and stops what it started unless `--keep`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { connectReviewClient, type ReviewClient, type ReviewStatus } from '../client';
import { progressBar } from '../cli/render/format';
import { renderStatus } from '../cli/render/status';
import { fileDirectory } from '../directory/directory';
import { createWebhookServer } from '../webhook/server';
import { deliver, pointAt, pullRequestOpenedSample, pullRequestReviewSubmittedSample, reviewedBy } from './github-deliveries';
import { startPullRequestScene, type PullRequestScene } from './pr-scene';
import { ensureDevServer, startWorker, waitForWorker, type WorkerChild } from './services';
import { startStandIns } from './stand-ins';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

interface DemoReview {
  label: string;
  id: string;
  gate: string;
  /** Decides the gate once it waits for approval, and says how. */
  approve: () => Promise<void>;
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

async function follow(client: ReviewClient, review: DemoReview): Promise<ReviewStatus> {
  let approved = false;
  let last = '';
  for await (const status of client.watch(review.id, { intervalMs: 300 })) {
    const line = progressLine(review, status);
    if (line !== last) console.log(line);
    last = line;
    const gate = status.steps.find((s) => s.id === review.gate);
    if (!approved && gate?.state === 'awaiting_approval') {
      approved = true;
      await review.approve();
    }
  }
  return client.result(review.id);
}

const SECRET = 'demo-webhook-secret-0123456789';

/** What reached the code host: the commit statuses and the merge the stand-in accepted, and the git fetches. */
function printCodeHost(scene: PullRequestScene): void {
  const { github, git } = scene;
  console.log(`\nThe GitHub API stand-in (${github.apiUrl}) accepted ${github.requests.length} requests:`);
  for (const status of github.statuses()) {
    console.log(`  status ${status.state.padEnd(8)} ${status.context} on ${status.sha.slice(0, 12)}: ${status.description ?? ''}`);
  }
  for (const merge of github.merges()) {
    console.log(`  merge  ${merge.repository}#${merge.number} at ${merge.sha.slice(0, 12)} (${merge.mergeMethod}) -> ${merge.mergeCommitSha.slice(0, 12)}`);
  }
  const fetches = git.requests.filter((r) => r.path.endsWith('/git-upload-pack'));
  console.log(`The git server (${scene.cloneUrl}) served ${fetches.length} fetch request(s), each with the token: ${git.requests.every((r) => r.status !== 401)}`);
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
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const prefix = `demo-${stamp}`;
  const scene = await startPullRequestScene();
  console.log(`A pull request on loopback: ${scene.target.repo}#${scene.target.number} "${scene.target.title}", branch ${scene.target.headRef} at ${scene.repository.head}`);
  console.log(`  git repository ${scene.cloneUrl} (git http-backend; asks for the token), GitHub API stand-in ${scene.github.apiUrl}`);
  const workspaces = await mkdtemp(join(tmpdir(), 'review-demo-workspaces-'));
  // Its own worker, on its own task queues: it holds the secrets (the stand-in's token) and the workspaces.
  const worker: WorkerChild = await startWorker(address, { REVIEW_TASK_QUEUE_PREFIX: prefix, REVIEW_WORKSPACE_ROOT: workspaces, ...scene.secretEnv() });
  started.push('worker');
  await waitForWorker(address, worker, prefix);
  console.log(`Started a review worker on task queues ${prefix}-* (logs: ${worker.logFile}; secrets REVIEW_SECRET_GITHUB_TOKEN and the App's in its environment)`);
  const standIns = await startStandIns();
  console.log(`Local stand-ins for the CMS and chat: ${standIns.baseUrl}`);
  const client = await connectReviewClient({ address, taskQueuePrefix: prefix, directory: null });
  const webhook = createWebhookServer({
    secret: SECRET,
    client,
    apiUrl: scene.github.apiUrl,
    directory: fileDirectory(scene.directoryFile),
    reviewOptions: { params: { language: 'javascript', strict: false } },
    logger: pino({ level: 'warn' }),
  });
  const webhookUrl = await webhook.listen();
  console.log(`The pull-request webhook listens on ${webhookUrl}/webhook (directory: bob is a maintainer)\n`);
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
    const opened = pointAt(pullRequestOpenedSample(), scene.target);
    const delivery = await deliver(webhookUrl, SECRET, 'pull_request', opened);
    console.log(`GitHub delivers pull_request (opened), signed: ${delivery.status} ${JSON.stringify(delivery.json)}`);
    if (delivery.status !== 202 || typeof delivery.json.reviewId !== 'string') throw new Error('the webhook did not start the pull-request review');
    const prId = delivery.json.reviewId;
    console.log(`Started ${blog.reviewId} (blog-review) and ${prId} (pr-review, by the webhook)\n`);
    const reviews: DemoReview[] = [
      {
        label: 'blog-review',
        id: blog.reviewId,
        gate: 'editor-approval',
        approve: async () => {
          console.log('  blog-review: editor-approval waits for approval (role editor); approving it:');
          console.log(`  ${await reviewCli(address, ['approve', blog.reviewId, '--step', 'editor-approval', '--by', 'alice', '--role', 'editor', '--comment', 'Reads well. Ship it.'])}`);
        },
      },
      {
        label: 'pr-review',
        id: prId,
        gate: 'maintainer-approval',
        approve: async () => {
          console.log('  pr-review: maintainer-approval waits for a maintainer; bob approves the pull request on GitHub:');
          const review = reviewedBy(pointAt(pullRequestReviewSubmittedSample(), scene.target), 'bob', 'approved', 'LGTM');
          const answer = await deliver(webhookUrl, SECRET, 'pull_request_review', review);
          console.log(`  GitHub delivers pull_request_review (submitted, approved by bob), signed: ${answer.status} ${JSON.stringify(answer.json)}`);
        },
      },
    ];
    const results = await Promise.all(reviews.map((r) => follow(client, r)));
    for (const [i, result] of results.entries()) {
      const review = reviews[i] as DemoReview;
      console.log(`\n${renderStatus(result, { color: process.stdout.isTTY })}`);
      console.log(`  Web UI:  http://127.0.0.1:${uiPort}/namespaces/default/workflows/${encodeURIComponent(review.id)}`);
      console.log(`  CLI:     npx review status '${review.id}'`);
    }
    printCodeHost(scene);
    console.log(`The CMS and chat stand-ins received ${standIns.calls.length} calls: ${standIns.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`);
    const failed = results.filter((r) => r.state !== 'completed');
    if (failed.length) process.exitCode = 1;
    else console.log('\nBoth reviews completed.');
  } finally {
    await webhook.close();
    await client.close();
    await standIns.close();
    if (keep) {
      console.log(`\n--keep: leaving ${started.join(' and ')} running (the pull request's git server and GitHub stand-in stop with this process).`);
      worker.child.unref();
      server?.process.unref();
    } else {
      await worker.stop();
      await server?.stop();
      await rm(workspaces, { recursive: true, force: true });
      console.log(`\nStopped the ${started.join(' and ')} this demo started (use --keep to leave them running).`);
    }
    await scene.close();
  }
  if (keep) process.exit(process.exitCode ?? 0);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
