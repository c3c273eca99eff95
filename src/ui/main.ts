/**
 * Runs the review page (`npm run ui`, `review ui`): settings from the environment (see config.ts), the
 * Temporal connection from Temporal's environment configuration, like every other entry point.
 */
import pino from 'pino';
import { connectReviewClient, type ConnectReviewClientOptions } from '../client/connect';
import { fileDirectory } from '../directory/directory';
import { listenError } from '../http/listen-address';
import { reviewPageConfig } from './config';
import { createReviewPageServer, type ReviewPageServer } from './server';

export interface StartReviewPageOptions {
  env?: Record<string, string | undefined>;
  /** host:port to listen on, from `review ui --listen` (overrides REVIEW_UI_ADDRESS). */
  listen?: string;
  /** From `review ui --base-url` (overrides REVIEW_UI_BASE_URL). */
  baseUrl?: string;
  connect?: Pick<ConnectReviewClientOptions, 'address' | 'namespace' | 'profile'>;
}

export interface RunningReviewPage {
  url: string;
  baseUrl: string;
  page: ReviewPageServer;
  stop(): Promise<void>;
}

export async function startReviewPage(options: StartReviewPageOptions = {}): Promise<RunningReviewPage> {
  const env = options.env ?? process.env;
  const config = reviewPageConfig(env, { ...(options.listen ? { listen: options.listen } : {}), ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const logger = pino({ name: 'review-ui' });
  const directory = config.directoryFile ? fileDirectory(config.directoryFile) : null;
  // Lazy: the page starts (and says Temporal did not answer) while Temporal is down, and recovers when it is back.
  const reviews = await connectReviewClient({ ...options.connect, lazy: true, directory, ...(options.env ? { env: options.env } : {}) });
  const page = createReviewPageServer({
    reviews,
    baseUrl: config.baseUrl,
    logger,
    ...(config.linkKey ? { linkKey: config.linkKey } : {}),
    ...(config.operatorToken ? { operatorToken: config.operatorToken } : {}),
    ...(config.webUiUrl ? { webUiUrl: config.webUiUrl } : {}),
  });
  let url: string;
  try {
    url = await page.listen(config.port, config.host);
  } catch (error) {
    await reviews.close();
    throw listenError(error, config.addressSetting, `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`);
  }
  logger.info(
    {
      url,
      baseUrl: config.baseUrl,
      approvalLinks: config.linkKey ? 'on' : 'off (set REVIEW_UI_KEY)',
      operators: config.operatorToken ? 'on' : 'off (set REVIEW_UI_OPERATOR_TOKEN)',
      directory: directory?.source ?? 'none: only approvers named by login can decide from a link',
    },
    'review page listening',
  );
  return {
    url,
    baseUrl: config.baseUrl,
    page,
    async stop() {
      await page.close();
      await reviews.close();
    },
  };
}

export async function main(): Promise<void> {
  const running = await startReviewPage();
  const stop = (): void => {
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`review ui: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
