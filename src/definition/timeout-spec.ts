/** The timeout shorthand, free of zod so that workflow code can use it without building the pipeline schemas. */
import type { TimeoutSpec } from './schema';

/** `5m` (the shorthand) is `{ startToClose: 5m }`. */
export function timeoutSpec(value: TimeoutSpec | string | undefined): TimeoutSpec | undefined {
  return typeof value === 'string' ? { startToClose: value } : value;
}
