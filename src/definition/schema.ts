/**
 * The pipeline language: one zod schema from which the TypeScript types and the JSON Schema derive.
 * Pure TypeScript with no Node imports: workflow code imports it too.
 */
import { z } from 'zod';

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export const PrioritySchema = z.enum(PRIORITIES).describe('Priority tier: critical, high, normal or low');
export type Priority = z.infer<typeof PrioritySchema>;

/** `500ms`, `30s`, `5m`, `2h`, `2d`, or combinations like `1h30m`. */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;
export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, { message: 'expected a duration like 500ms, 30s, 5m, 2h, 2d or 1h30m' })
  .describe('A duration such as 30s, 5m, 2h or 2d');
export type Duration = z.infer<typeof DurationSchema>;

export const IdSchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, {
    message: 'expected an id of letters, digits, - and _, starting with a letter (at most 64 characters)',
  });

export const BackoffSchema = z.enum(['exponential', 'linear', 'fixed']);

export const RetrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(1000).optional().describe('Attempts in all, including the first'),
    initialInterval: DurationSchema.optional(),
    backoff: BackoffSchema.optional().describe('How the delay grows between attempts (default exponential)'),
    backoffCoefficient: z.number().min(1).max(100).optional().describe('Growth factor for exponential backoff'),
    maxInterval: DurationSchema.optional(),
    jitter: z.number().min(0).max(1).optional().describe('Random spread of each delay, as a fraction (0.2 = ±20%)'),
    nonRetryableErrors: z.array(z.string().min(1)).optional().describe('Error types that stop retrying at once'),
  })
  .strict();
export type RetrySpec = z.infer<typeof RetrySchema>;

export const TimeoutObjectSchema = z
  .object({
    startToClose: DurationSchema.optional(),
    scheduleToClose: DurationSchema.optional(),
    heartbeat: DurationSchema.optional(),
    scheduleToStart: DurationSchema.optional().describe(
      'How long a step may wait for a worker to pick it up; for a step with a workspace, how long the worker holding it has before the checkout runs again elsewhere (default 1m)',
    ),
  })
  .strict();
export type TimeoutSpec = z.infer<typeof TimeoutObjectSchema>;

/** `timeout: 5m` is short for `timeout: { startToClose: 5m }`. */
export const TimeoutSchema = z
  .union([DurationSchema.transform((startToClose): TimeoutSpec => ({ startToClose })), TimeoutObjectSchema])
  .describe('A duration (the startToClose timeout, e.g. 5m), or { startToClose, scheduleToClose, heartbeat, scheduleToStart }');

export { timeoutSpec } from './timeout-spec';

const InputsSchema = z.record(z.string(), z.unknown()).describe('Inputs of the executor; strings may hold ${{ }} expressions');

/** A unit of work run by an executor outside the DAG: an undo, a fallback, an escalation or a reminder. */
export const ActionSchema = z
  .object({
    name: z.string().optional(),
    uses: z.string().min(1).describe('Executor type'),
    with: InputsSchema.optional(),
    retry: RetrySchema.optional(),
    timeout: TimeoutSchema.optional(),
  })
  .strict();
export type Action = z.infer<typeof ActionSchema>;

/** Run once when the review closes, whatever its outcome: reports and notifications that must always go out. */
export const FinalActionSchema = ActionSchema.extend({
  if: z.string().min(1).optional().describe('Condition on params, input, steps and review (e.g. review.outcome == \'failed\', or failure()); skipped when false'),
}).strict();
export type FinalAction = z.infer<typeof FinalActionSchema>;

export const OnFailureSchema = z.union([
  z.enum(['fail', 'continue']),
  z.object({ fallback: ActionSchema }).strict(),
]);
export type OnFailure = z.infer<typeof OnFailureSchema>;

export const GateSchema = z
  .object({
    approvers: z.array(z.string().min(1)).min(1).describe('People or roles ("role:maintainer") allowed to decide'),
    required: z.number().int().min(1).optional().describe('Approvals needed (default 1)'),
    deadline: DurationSchema.optional().describe('How long the gate waits for a decision'),
    reminders: z.array(DurationSchema).optional().describe('Send a reminder this long before the deadline'),
    remind: ActionSchema.optional().describe('Action run for each reminder (default: log only)'),
    escalate: ActionSchema.optional().describe('Action run when the deadline passes'),
    onTimeout: z.enum(['reject', 'approve', 'fail']).optional().describe('Outcome when the deadline passes (default reject)'),
  })
  .strict();
export type GateSpec = z.infer<typeof GateSchema>;

export const StepSchema = z
  .object({
    id: IdSchema,
    name: z.string().optional().describe('Human-readable name shown in the Web UI'),
    uses: z.string().min(1).optional().describe('Executor type (command, http, notify, a check, or a registered type)'),
    with: InputsSchema.optional(),
    gate: GateSchema.optional().describe('Makes this step a human approval gate instead of an executor call'),
    needs: z.array(z.string()).optional().describe('Ids of steps that must succeed first (or only settle, when if: uses a status function)'),
    if: z
      .string()
      .min(1)
      .optional()
      .describe('Condition on params, input and steps; the step is skipped when false. With success(), failure(), always() or cancelled() the step waits for its needs to settle whatever their outcome'),
    priority: PrioritySchema.optional(),
    retry: RetrySchema.optional(),
    timeout: TimeoutSchema.optional(),
    onFailure: OnFailureSchema.optional(),
    undo: ActionSchema.optional().describe('Compensation run if the review later fails or is cancelled'),
    secret: z.array(z.string()).optional().describe('Keys of `with` whose values are secrets (redacted in logs)'),
    workspace: z.string().min(1).optional().describe('Id of a checkout step this step needs: it runs on the worker holding that checkout'),
  })
  .strict();
export type Step = z.infer<typeof StepSchema>;

export const ParamSchema = z
  .object({
    type: z.enum(['string', 'number', 'boolean', 'list', 'object']),
    default: z.unknown().optional(),
    required: z.boolean().optional(),
    description: z.string().optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
  })
  .strict();
export type ParamSpec = z.infer<typeof ParamSchema>;

export const StepDefaultsSchema = z
  .object({
    priority: PrioritySchema.optional(),
    retry: RetrySchema.optional(),
    timeout: TimeoutSchema.optional(),
    onFailure: z.enum(['fail', 'continue']).optional(),
  })
  .strict();

export const PipelineSchema = z
  .object({
    $schema: z.string().optional(),
    name: IdSchema.describe('Pipeline name, e.g. pr-review'),
    version: z.union([z.string(), z.number()]).transform(String).optional(),
    description: z.string().optional(),
    params: z.record(z.string(), ParamSchema).optional().describe('Typed parameters, read in expressions as ${{ params.<name> }}'),
    inputs: z
      .record(z.string(), ParamSchema)
      .optional()
      .describe('The review input this pipeline expects, typed like params and read as ${{ input.<name> }}: missing or mistyped input is refused before the review starts; without inputs: the input is free-form'),
    defaults: StepDefaultsSchema.optional().describe('Settings every step gets unless it sets its own'),
    timeout: DurationSchema.optional().describe('Deadline of the whole review (paused time does not count)'),
    maxParallel: z.number().int().min(1).max(1000).optional().describe('Steps of one review running at once'),
    priority: PrioritySchema.optional(),
    steps: z.array(StepSchema).min(1).describe('The steps; independent ones run in parallel'),
    finally: z
      .array(FinalActionSchema)
      .max(20)
      .optional()
      .describe('Actions run in order when the review closes, whatever its outcome (after undo); ${{ review.outcome }} says how it ended'),
  })
  .strict();
export type PipelineInput = z.input<typeof PipelineSchema>;
export type Pipeline = z.output<typeof PipelineSchema>;

export function isGate(step: Step): step is Step & { gate: GateSpec } {
  return step.gate !== undefined;
}

/** JSON Schema of pipeline files, for editor completion. */
export function pipelineJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PipelineSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
