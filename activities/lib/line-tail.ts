import { StringDecoder } from 'node:string_decoder';

/** The last lines of a stream, bounded both in lines and in bytes. */
export class LineTail {
  private readonly lines: string[] = [];
  private bytes = 0;
  private dropped = 0;

  constructor(
    private readonly maxLines: number,
    private readonly maxBytes: number,
  ) {}

  push(line: string): void {
    const kept = line.length > this.maxBytes ? `${line.slice(0, this.maxBytes)}… [line cut]` : line;
    this.lines.push(kept);
    this.bytes += Buffer.byteLength(kept) + 1;
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      const removed = this.lines.shift() as string;
      this.bytes -= Buffer.byteLength(removed) + 1;
      this.dropped += 1;
    }
  }

  text(): string {
    const body = this.lines.join('\n');
    return this.dropped > 0 ? `[… ${this.dropped} earlier lines omitted]\n${body}` : body;
  }

  last(count: number): string[] {
    return this.lines.slice(-count);
  }
}

/** Splits a byte stream into lines, handing each complete line to `onLine`. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  bytes = 0;
  lines = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    const text = this.pending + this.decoder.write(chunk);
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.emit(part);
  }

  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length > 0) this.emit(rest);
  }

  private emit(line: string): void {
    this.lines += 1;
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
