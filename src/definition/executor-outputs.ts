/**
 * The output schemas of the built-in executors, in one pure module: the executors declare them as their
 * `output` (activities/executors), and validation checks `steps.<id>.output.<path>` against them.
 * Pure TypeScript with zod only: the workflow sandbox may load it.
 */
import { z } from 'zod';
import type { BuiltinExecutorType } from './builtin-executors';

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** A problem a content check found, at a line of the markdown. */
export const FindingSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1).optional(),
  rule: z.string(),
  message: z.string(),
  severity: SeveritySchema,
});
export type Finding = z.infer<typeof FindingSchema>;

/** What every content check (markdown-lint, readability, spelling, links, seo) returns. */
export const CheckOutputSchema = z.object({
  passed: z.boolean().describe('No finding crossed the check\'s thresholds'),
  findings: z.array(FindingSchema),
  metrics: z.record(z.string(), z.unknown()).optional().describe('Numbers the check measured (reading ease, word count, …)'),
  source: z.string().optional().describe('The file checked'),
});
export type CheckOutput = z.infer<typeof CheckOutputSchema>;

export const CommandOutputSchema = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  passed: z.boolean().describe('The exit code was 0'),
  durationMs: z.number(),
  stdoutTail: z.string(),
  stderrTail: z.string(),
  stdoutLines: z.number().int(),
  stderrLines: z.number().int(),
  /** With `findings: true`: the problems the output named, paths relative to `cwd`. */
  findings: z
    .array(
      z.object({
        path: z.string(),
        line: z.number().int(),
        column: z.number().int().optional(),
        rule: z.string(),
        message: z.string(),
        severity: SeveritySchema,
      }),
    )
    .optional(),
  /** Findings beyond the first 1000, counted but not kept. */
  findingsDropped: z.number().int().optional(),
});
export type CommandOutput = z.infer<typeof CommandOutputSchema>;

export const HttpOutputSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()).optional().describe('With includeHeaders: true'),
  json: z.unknown().optional().describe('The body, when it is JSON'),
  text: z.string().optional().describe('The body, when it is not JSON'),
  truncated: z.boolean().optional(),
});

export const NotifyOutputSchema = z.object({ status: z.number().int(), delivered: z.boolean() });

export const ReportOutputSchema = z.object({
  markdown: z.string(),
  passed: z.boolean(),
  counts: z.object({
    steps: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    findings: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
  }),
});

export const CheckoutOutputSchema = z.object({
  path: z.string().describe('The working tree'),
  sha: z.string(),
  queue: z.string().describe('The task queue of the worker holding the workspace'),
  workspace: z.string(),
  /** Where the commit came from: already in the cache, fetched by its SHA, or through `ref`. */
  fetched: z.enum(['cache', 'sha', 'ref']),
});
export type CheckoutOutput = z.infer<typeof CheckoutOutputSchema>;

export const GitHubCheckRunOutputSchema = z.object({
  action: z.literal('check-run'),
  checkRunId: z.number().int(),
  htmlUrl: z.string().nullable(),
  status: z.string(),
  conclusion: z.string().nullable(),
  created: z.boolean().describe('false when an existing check run was updated'),
  annotations: z.number().int().describe("Annotations of this step's findings now on the check run"),
  annotationRequests: z.number().int(),
  skippedFindings: z.number().int().describe('Findings without a file path, listed in the summary only'),
  summaryCut: z.boolean(),
});
export const GitHubStatusOutputSchema = z.object({
  action: z.literal('status'),
  id: z.number().int(),
  state: z.string(),
  context: z.string(),
  description: z.string().nullable(),
});
export const GitHubMergeOutputSchema = z.object({
  action: z.literal('merge'),
  merged: z.boolean(),
  sha: z.string().describe('The merge commit'),
  message: z.string(),
  alreadyMerged: z.boolean(),
});
export const GitHubOutputSchema = z.discriminatedUnion('action', [GitHubCheckRunOutputSchema, GitHubStatusOutputSchema, GitHubMergeOutputSchema]);

/** `echo` returns its input: any object. */
export const EchoOutputSchema = z.record(z.string(), z.unknown());

export const FailOutputSchema = z.object({ attempt: z.number().describe('The attempt that succeeded'), output: z.unknown().optional() });

/** The output schema of every built-in executor, by type. */
export const BUILTIN_EXECUTOR_OUTPUTS: Readonly<Record<BuiltinExecutorType, z.ZodType>> = {
  command: CommandOutputSchema,
  http: HttpOutputSchema,
  notify: NotifyOutputSchema,
  github: GitHubOutputSchema,
  report: ReportOutputSchema,
  'markdown-lint': CheckOutputSchema,
  readability: CheckOutputSchema,
  spelling: CheckOutputSchema,
  links: CheckOutputSchema,
  seo: CheckOutputSchema,
  checkout: CheckoutOutputSchema,
  echo: EchoOutputSchema,
  fail: FailOutputSchema,
};
