/** Zod schemas for signal and update payloads: user input reaches the workflow only through these. */
import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

export const DecisionInputSchema = z
  .object({
    step: text(64).optional(),
    by: text(200),
    roles: z.array(text(100)).max(50).optional(),
    comment: z.string().max(4000).optional(),
    hold: z.boolean().optional(),
  })
  .strict();

export const PauseInputSchema = z
  .object({ by: text(200).optional(), reason: z.string().max(1000).optional() })
  .strict()
  .optional();

export const RetryInputSchema = z.object({ from: text(64).optional() }).strict().optional();

export const StepProgressSchema = z
  .object({
    step: text(64),
    attempt: z.number().int().min(1),
    event: z.enum(['attempt_started', 'attempt_failed']),
    error: z.string().max(4000).optional(),
  })
  .strict();

/** A readable one-line description of what is wrong with a payload. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
