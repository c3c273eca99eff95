/** Parsing values given on the command line: `--input <json|@file>`, repeated `--param k=v`. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseParamAssignments } from '../definition/templates';
import { PRIORITIES, type Priority } from '../definition/schema';
import { InvalidArgumentError } from 'commander';
import { tryParseDuration } from '../definition/duration';
import { UsageError } from './exit';

const InputSchema = z.record(z.string(), z.unknown());

/** `{"a":1}` or `@input.json` (a JSON object); `@-` reads standard input. */
export function parseInputOption(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let text = value;
  let where = 'the --input value';
  if (value.startsWith('@')) {
    const file = value.slice(1);
    where = file === '-' ? 'standard input' : file;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --input file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error)}`);
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = InputSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${where} must be a JSON object, e.g. --input '{"article":"post.md"}'`);
  return parsed.data;
}

export function parseParams(assignments: readonly string[] | undefined): Record<string, string> {
  try {
    return parseParamAssignments(assignments ?? []);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** For commander's repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const PRIORITY_CHOICES: readonly Priority[] = PRIORITIES;

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number.`);
    return n;
  };
}

/** A duration flag (`1h`, `2d`) longer than 0, refused as a usage error saying how to write it. */
export function durationFlag(name: string, example: string): (value: string) => string {
  return (value) => {
    const ms = tryParseDuration(value.trim());
    if (ms === undefined || ms <= 0) throw new InvalidArgumentError(`${name} '${value}' is not a duration longer than 0: write it like ${example}.`);
    return value.trim();
  };
}
