/**
 * Runs the codec server: `npx ts-node --transpile-only src/codec/main.ts`.
 * REVIEW_CODEC_TOKEN (required), REVIEW_CODEC_ADDRESS (default 127.0.0.1:8888),
 * REVIEW_CODEC_CORS_ORIGINS (comma-separated, default the dev server's Web UI), and the encryption keys
 * (REVIEW_ENCRYPTION_KEYS / REVIEW_ENCRYPTION_KEY_ID or REVIEW_ENCRYPTION_KEYS_FILE).
 * `main.ts generate-key` prints a fresh key.
 */
import { generateKey, loadCodecFromEnv } from './index';
import { createCodecServer } from './server';

const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || !match[1] || port > 65535) {
    throw new Error(`REVIEW_CODEC_ADDRESS="${text}" is not host:port (e.g. 127.0.0.1:8888)`);
  }
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  if (process.argv[2] === 'generate-key') {
    process.stdout.write(`${generateKey()}\n`);
    return;
  }
  const token = env.REVIEW_CODEC_TOKEN;
  if (!token) throw new Error('REVIEW_CODEC_TOKEN is not set: callers must present it as "Authorization: Bearer <token>"');
  const codec = loadCodecFromEnv(env);
  if (!codec) throw new Error('encryption is not configured: set REVIEW_ENCRYPTION_KEYS="id:base64key" or REVIEW_ENCRYPTION_KEYS_FILE');
  const corsOrigins = env.REVIEW_CODEC_CORS_ORIGINS
    ? env.REVIEW_CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
    : DEFAULT_CORS_ORIGINS;
  const { host, port } = parseAddress(env.REVIEW_CODEC_ADDRESS ?? '127.0.0.1:8888');
  const server = createCodecServer({ codec, token, corsOrigins });
  const url = await server.listen(port, host);
  process.stdout.write(`${JSON.stringify({ msg: 'codec server listening', url, keys: codec.keyIds, activeKey: codec.activeKeyId, corsOrigins })}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main(process.env).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
