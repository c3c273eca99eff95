/**
 * Runs the codec server: `npx ts-node --transpile-only src/codec/main.ts`.
 * REVIEW_CODEC_TOKEN (required), REVIEW_CODEC_ADDRESS (default 127.0.0.1:8888),
 * REVIEW_CODEC_CORS_ORIGINS (comma-separated, default the dev server's Web UI), and the encryption keys
 * (REVIEW_ENCRYPTION_KEYS / REVIEW_ENCRYPTION_KEY_ID or REVIEW_ENCRYPTION_KEYS_FILE).
 * `main.ts generate-key` prints a fresh key.
 */
import { listenError, parseListenAddress } from '../http/listen-address';
import { generateKey, loadCodecFromEnv } from './index';
import { createCodecServer } from './server';

const DEFAULT_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

/** REVIEW_CODEC_CORS_ORIGINS: the browser origins (of Temporal Web UIs) that may call the codec server. */
export function parseCorsOrigins(text: string): string[] {
  const origins = text.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(
        `REVIEW_CODEC_CORS_ORIGINS: '${origin}' is not an origin; list the Web UIs' origins as scheme://host[:port], comma-separated, without a path or a trailing slash (e.g. https://temporal.example.com,http://localhost:8233); * is not accepted`,
      );
    }
  }
  return origins;
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
  const corsOrigins = env.REVIEW_CODEC_CORS_ORIGINS ? parseCorsOrigins(env.REVIEW_CODEC_CORS_ORIGINS) : DEFAULT_CORS_ORIGINS;
  const address = env.REVIEW_CODEC_ADDRESS ?? '127.0.0.1:8888';
  const { host, port } = parseListenAddress(address, 'REVIEW_CODEC_ADDRESS', '127.0.0.1:8888');
  const server = createCodecServer({ codec, token, corsOrigins });
  const url = await server.listen(port, host).catch((error: unknown) => {
    throw listenError(error, 'REVIEW_CODEC_ADDRESS', address);
  });
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
