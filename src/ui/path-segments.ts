/** The review and step ids in the page's addresses, which are percent-encoded. */
import { HttpError } from '../http/json-http';

/** `raw` decoded, or a 400 saying which part of the address is not valid percent-encoding. */
export function decodeSegment(raw: string, what: 'review id' | 'step id'): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `the ${what} in this address, '${raw}', is not valid percent-encoding (each % must begin a %XX escape, and the escapes must spell UTF-8 text); check the link, or open the review from the list at /`);
  }
}
