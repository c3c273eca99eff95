/** Executor types every worker registers; pipelines may also use types registered by users. */
export const BUILTIN_EXECUTOR_TYPES = [
  'command',
  'http',
  'notify',
  'github',
  'report',
  'markdown-lint',
  'readability',
  'spelling',
  'links',
  'seo',
  'checkout',
  'echo',
  'fail',
] as const;

export type BuiltinExecutorType = (typeof BUILTIN_EXECUTOR_TYPES)[number];
