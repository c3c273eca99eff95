import { z } from 'zod';
import { parseDuration } from '../../src/definition/duration';
import { DurationSchema } from '../../src/definition/schema';

/** A duration in `with`: milliseconds as a number, or text such as `30s` or `5m`; parsed to milliseconds. */
export const DurationMsSchema = z
  .union([z.number().int().positive(), DurationSchema])
  .transform((value) => (typeof value === 'number' ? value : parseDuration(value)));
