/**
 * A Payload (metadata and data) as one byte string and back, so encryption covers the metadata too:
 * u32 entry count, then per entry u32 key length, key (UTF-8), u32 value length, value; then the data.
 */
import type { Payload } from '@temporalio/common';

export class MalformedPayloadBytes extends Error {
  constructor(reason: string) {
    super(`decrypted payload is malformed: ${reason}`);
    this.name = 'MalformedPayloadBytes';
  }
}

export function payloadToBytes(payload: Payload): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(payload.metadata ?? {}).filter((entry): entry is [string, Uint8Array] => entry[1] != null);
  parts.push(u32(entries.length));
  for (const [key, value] of entries) {
    const keyBytes = Buffer.from(key, 'utf8');
    parts.push(u32(keyBytes.length), keyBytes, u32(value.length), Buffer.from(value));
  }
  parts.push(Buffer.from(payload.data ?? new Uint8Array()));
  return Buffer.concat(parts);
}

export function bytesToPayload(bytes: Buffer): Payload {
  let offset = 0;
  const take = (length: number): Buffer => {
    if (offset + length > bytes.length) throw new MalformedPayloadBytes(`needs ${length} bytes at offset ${offset} of ${bytes.length}`);
    const out = bytes.subarray(offset, offset + length);
    offset += length;
    return out;
  };
  const readU32 = (): number => take(4).readUInt32BE(0);
  const metadata: Record<string, Uint8Array> = {};
  const count = readU32();
  for (let i = 0; i < count; i++) {
    const key = take(readU32()).toString('utf8');
    metadata[key] = new Uint8Array(take(readU32()));
  }
  return { metadata, data: new Uint8Array(bytes.subarray(offset)) };
}

function u32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n, 0);
  return out;
}
