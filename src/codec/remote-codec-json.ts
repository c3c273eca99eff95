/** The JSON body of Temporal's remote codec endpoints: `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`. */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');

export const RemotePayloadsSchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), Base64Schema).optional(),
      data: Base64Schema.optional(),
    }),
  ),
});
export type RemotePayloads = z.infer<typeof RemotePayloadsSchema>;

export function fromRemote(body: RemotePayloads): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, bytes(v)])),
    data: bytes(p.data ?? ''),
  }));
}

export function toRemote(payloads: Payload[]): RemotePayloads {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {})
          .filter((entry): entry is [string, Uint8Array] => entry[1] != null)
          .map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

function bytes(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}
