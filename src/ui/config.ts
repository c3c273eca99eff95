/**
 * The review page's settings from the environment:
 *   REVIEW_UI_ADDRESS          host:port to listen on (default 127.0.0.1:8088)
 *   REVIEW_UI_BASE_URL         where people reach the page (default http://<address>); links and the allowed origin
 *   REVIEW_UI_KEY / _KEY_FILE  the approval-link key (at least 32 bytes); without it no approval link works
 *   REVIEW_UI_OPERATOR_TOKEN   operators sign in with it (at least 16 characters); without it nobody can steer here
 *   REVIEW_WEB_UI_URL          the Temporal Web UI, for links to workflows and activities
 *   REVIEW_DIRECTORY_FILE      the directory of approvers: a decision's roles come from it
 */
import { checkBaseUrl, linkKeyFromEnv } from './link-config';

export interface ReviewPageConfig {
  host: string;
  port: number;
  baseUrl: string;
  linkKey?: Buffer;
  operatorToken?: string;
  webUiUrl?: string;
  directoryFile?: string;
}

export const DEFAULT_UI_ADDRESS = '127.0.0.1:8088';

/** Splits host:port ([::1]:8088 too), or says what to write. */
export function parseAddress(value: string, name = 'REVIEW_UI_ADDRESS'): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new Error(`${name} '${value}' is not host:port; write e.g. 127.0.0.1:8088 (or 0.0.0.0:8088 to listen on every interface)`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port };
}

/** The settings, or one error naming every bad variable and what it expects. */
export function reviewPageConfig(env: Record<string, string | undefined> = process.env, overrides: { address?: string; baseUrl?: string } = {}): ReviewPageConfig {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const address = overrides.address ?? env.REVIEW_UI_ADDRESS?.trim() ?? DEFAULT_UI_ADDRESS;
  const listen = attempt(() => parseAddress(address || DEFAULT_UI_ADDRESS, overrides.address !== undefined ? '--address' : 'REVIEW_UI_ADDRESS'));
  const baseRaw = overrides.baseUrl ?? env.REVIEW_UI_BASE_URL?.trim();
  const baseUrl = baseRaw ? attempt(() => checkBaseUrl(baseRaw, overrides.baseUrl !== undefined ? '--base-url' : 'REVIEW_UI_BASE_URL')) : listen ? `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}` : undefined;
  const linkKey = attempt(() => linkKeyFromEnv(env));
  const operatorToken = env.REVIEW_UI_OPERATOR_TOKEN;
  if (operatorToken !== undefined && operatorToken !== '' && operatorToken.length < 16) problems.push('REVIEW_UI_OPERATOR_TOKEN is shorter than 16 characters; use a long random token (e.g. openssl rand -hex 24)');
  const webUi = env.REVIEW_WEB_UI_URL?.trim();
  const webUiUrl = webUi ? attempt(() => checkBaseUrl(webUi, 'REVIEW_WEB_UI_URL')) : undefined;
  if (problems.length > 0 || !listen || !baseUrl) throw new Error(`the review page cannot start: ${problems.join('; ')}`);
  const directoryFile = env.REVIEW_DIRECTORY_FILE?.trim();
  return {
    host: listen.host,
    port: listen.port,
    baseUrl,
    ...(linkKey ? { linkKey } : {}),
    ...(operatorToken ? { operatorToken } : {}),
    ...(webUiUrl ? { webUiUrl } : {}),
    ...(directoryFile ? { directoryFile } : {}),
  };
}
