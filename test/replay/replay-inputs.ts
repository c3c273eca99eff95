/** Where `npm run test:record-histories` writes: one folder per workflow version (see workflows/patches.ts). */
export const CURRENT_HISTORIES = 'lifecycle-4-unmarked';

/** Review inputs used when recording the replay histories of the built-in pipelines. */
export const REPLAY_INPUTS: Record<string, Record<string, unknown>> = {
  'blog-review': {
    article: 'activities/samples/article.md',
    title: 'Durable reviews',
    publishUrl: 'http://127.0.0.1:9/articles',
    notifyUrl: 'http://127.0.0.1:9/hooks',
  },
  'pr-review': {
    repo: 'acme/widgets',
    owner: 'acme',
    name: 'widgets',
    number: 7,
    sha: '0123456789abcdef0123456789abcdef01234567',
    cloneUrl: 'http://127.0.0.1:9/acme/widgets.git',
    apiUrl: 'http://127.0.0.1:9',
    title: 'Add a widget',
    author: 'octocat',
    fork: false,
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
