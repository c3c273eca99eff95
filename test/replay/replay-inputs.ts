/** Where `npm run test:record-histories` writes: one folder per workflow version (see workflows/patches.ts). */
export const CURRENT_HISTORIES = 'decision-settles-gate';

/** Review inputs used when recording the replay histories of the built-in pipelines. */
export const REPLAY_INPUTS: Record<string, Record<string, unknown>> = {
  'blog-review': {
    article: 'activities/samples/article.md',
    title: 'Durable reviews',
    publishUrl: 'http://127.0.0.1:9/articles',
    notifyUrl: 'http://127.0.0.1:9/hooks',
  },
  'pr-review': {
    checkout: 'activities/samples/sample-change',
    repo: 'acme/widgets',
    number: 7,
    sha: '0123456789abcdef0123456789abcdef01234567',
    title: 'Add a widget',
    statusUrl: 'http://127.0.0.1:9/status',
    mergeUrl: 'http://127.0.0.1:9/merge',
    token: 'replay-token',
    notifyUrl: 'http://127.0.0.1:9/hooks',
  },
  hotfix: {
    checkout: 'activities/samples/sample-change',
    service: 'checkout',
    version: '1.2.4',
    deployUrl: 'http://127.0.0.1:9/deploy',
    healthUrl: 'http://127.0.0.1:9/health',
    notifyUrl: 'http://127.0.0.1:9/hooks',
  },
  'feature-integration': {
    checkout: 'activities/samples/sample-change',
    feature: 'widgets',
    branch: 'feature/widgets',
    notifyUrl: 'http://127.0.0.1:9/hooks',
  },
};
