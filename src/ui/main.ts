/**
 * Runs the review page (`npm run ui`, `review ui`): settings from the environment (see config.ts), the
 * Temporal connection from Temporal's environment configuration, like every other entry point.
 */
import pino from 'pino';
import { connectReviewClient, type ConnectReviewClientOptions } from '../client/connect';
import { fileDirectory } from '../directory/directory';
import { reviewPageConfig } from './config';
import { createReviewPageServer, type ReviewPageServer } from './server';

export interface StartReviewPageOptions {
  env?: Record<string, string | undefined>;
  address?: string;
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
  const config = reviewPageConfig(env, { ...(options.address ? { address: options.address } : {}), ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
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
  const url = await page.listen(config.port, config.host);
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
