/** The `with` of the `github` executor (a union on `action`) and its outputs. */
import { z } from 'zod';
import { DurationMsSchema } from '../../lib/duration-input';
import { SeveritySchema } from '../checks/content';
import {
  GitHubCheckRunOutputSchema,
  GitHubMergeOutputSchema,
  GitHubOutputSchema,
  GitHubStatusOutputSchema,
} from '../../../src/definition/executor-outputs';

export const DEFAULT_API_URL = 'https://api.github.com';

/** Expressions yield '' or null for "none": both leave an optional field out. */
const none = (value: unknown) => (value === '' || value === null ? undefined : value);
const OptionalUrl = z.preprocess(none, z.url({ protocol: /^https?$/ }).optional());

const Sha = z
  .string()
  .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/i, { message: 'expected a full commit SHA (40 hexadecimal characters)' });

/** A positive integer, also given as digits in a string (expressions often produce text). */
const Id = z
  .union([z.number().int().positive(), z.string().regex(/^\d+$/, { message: 'expected a positive integer' })])
  .transform((value) => Number(value));

export const AppAuthSchema = z
  .object({
    appId: z
      .union([z.number().int().positive(), z.string().min(1)])
      .describe("The App's id (or its client id), the JWT's `iss`"),
    privateKey: z.string().min(1).describe("The App's private key (PEM); list it under the step's `secret`"),
    installationId: Id.describe('The installation of the App on the repository owner'),
  })
  .strict();
export type AppAuth = z.infer<typeof AppAuthSchema>;

const Common = {
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'expected "owner/name"' })
    .describe('The repository as "owner/name"'),
  apiUrl: z
    .preprocess(none, z.url({ protocol: /^https?$/ }).default(DEFAULT_API_URL))
    .describe('The REST API base URL (GitHub Enterprise: https://HOST/api/v3; tests: a local stand-in)'),
  token: z
    .string()
    .min(1)
    .optional()
    .describe('A personal access or installation token (e.g. ${{ secrets.GITHUB_TOKEN }}); never logged or returned'),
  app: AppAuthSchema.optional().describe('GitHub App credentials, exchanged for an installation token (needed for check runs)'),
  timeout: DurationMsSchema.default(30_000).describe('Per request'),
  maxWait: DurationMsSchema.default(120_000).describe(
    'Longest time spent waiting on rate limits inside one attempt; longer waits end the attempt and the retry policy waits instead',
  ),
  userAgent: z.string().min(1).default('review-orchestrator'),
};

export const CHECK_RUN_STATUSES = ['queued', 'in_progress', 'completed'] as const;
export const CHECK_RUN_CONCLUSIONS = [
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
] as const;
export const ANNOTATION_LEVELS = ['notice', 'warning', 'failure'] as const;

/** A finding of a check executor, optionally placed in a file and given a range and title. */
export const GitHubFindingSchema = z.looseObject({
  path: z.string().min(1).optional(),
  line: z.number().int().min(1),
  endLine: z.number().int().min(1).optional(),
  column: z.number().int().min(1).optional(),
  endColumn: z.number().int().min(1).optional(),
  rule: z.string().default(''),
  message: z.string().min(1),
  severity: SeveritySchema,
  title: z.string().optional(),
});
export type GitHubFinding = z.infer<typeof GitHubFindingSchema>;

export const AnnotationSchema = z
  .object({
    path: z.string().min(1),
    start_line: z.number().int().min(1),
    end_line: z.number().int().min(1),
    start_column: z.number().int().min(1).optional(),
    end_column: z.number().int().min(1).optional(),
    annotation_level: z.enum(ANNOTATION_LEVELS),
    message: z.string().min(1),
    title: z.string().optional(),
    raw_details: z.string().optional(),
  })
  .strict();
export type Annotation = z.infer<typeof AnnotationSchema>;

const StepResultSchema = z.looseObject({ status: z.string().optional(), output: z.unknown().optional() });

const CheckRunInput = z
  .object({
    action: z.literal('check-run'),
    ...Common,
    name: z.string().min(1).describe('The check\'s name, e.g. "review"'),
    head_sha: Sha.describe('The commit the check run belongs to'),
    check_run_id: Id.optional().describe('Update this check run instead of finding one by head_sha, name and external_id'),
    status: z.enum(CHECK_RUN_STATUSES).optional(),
    conclusion: z
      .enum(CHECK_RUN_CONCLUSIONS)
      .optional()
      .describe('Required with status "completed"; giving it completes the run. `success` becomes `failure` when a step of `results` found problems'),
    details_url: OptionalUrl,
    external_id: z.string().min(1).optional().describe('Default: the review id; check runs are found again by it'),
    output: z
      .object({
        title: z.string().min(1).optional(),
        summary: z.string().optional().describe('Markdown; cut to 65535 characters with a note'),
        text: z.string().optional().describe('Markdown; cut to 65535 characters with a note'),
      })
      .strict()
      .optional(),
    findings: z.array(GitHubFindingSchema).optional().describe('Findings to annotate: { path?, line, endLine?, column?, rule, message, severity }'),
    results: z
      .record(z.string(), StepResultSchema)
      .optional()
      .describe("Earlier steps by id, like the report's `results`: findings of each output, in the file of its `source`"),
    path: z.string().min(1).optional().describe('File of the findings that name none'),
    annotations: z.array(AnnotationSchema).optional().describe('Annotations in GitHub\'s own shape, sent after those of the findings'),
  })
  .strict()
  .refine((input) => input.status !== 'completed' || input.conclusion !== undefined, {
    message: 'a completed check run needs a `conclusion`',
    path: ['conclusion'],
  });

const StatusInput = z
  .object({
    action: z.literal('status'),
    ...Common,
    sha: Sha,
    state: z.enum(['error', 'failure', 'pending', 'success']),
    context: z.string().min(1).default('default'),
    description: z.string().optional().describe('Cut to 140 characters'),
    target_url: OptionalUrl,
  })
  .strict();

const MergeInput = z
  .object({
    action: z.literal('merge'),
    ...Common,
    pull_number: Id,
    sha: Sha.describe('The head the review approved; GitHub refuses the merge if the head moved'),
    merge_method: z.enum(['merge', 'squash', 'rebase']).default('merge'),
    commit_title: z.string().min(1).optional(),
    commit_message: z.string().optional(),
  })
  .strict();

export const GitHubInput = z
  .discriminatedUnion('action', [CheckRunInput, StatusInput, MergeInput])
  .superRefine((input, ctx) => {
    if (input.token === undefined && input.app === undefined) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give `token` or `app` (a GitHub App: appId, privateKey, installationId)' });
    } else if (input.token !== undefined && input.app !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['app'], message: 'give either `token` or `app`, not both' });
    }
  });
export type GitHubInputType = z.infer<typeof GitHubInput>;
export type CheckRunInputType = z.infer<typeof CheckRunInput>;
export type StatusInputType = z.infer<typeof StatusInput>;
export type MergeInputType = z.infer<typeof MergeInput>;

export const CheckRunOutput = GitHubCheckRunOutputSchema;
export const StatusOutput = GitHubStatusOutputSchema;
export const MergeOutput = GitHubMergeOutputSchema;
export const GitHubOutput = GitHubOutputSchema;
export type GitHubOutputType = z.input<typeof GitHubOutput>;
