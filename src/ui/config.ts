/**
 * The review page's settings from the environment:
 *   REVIEW_UI_ADDRESS          host:port to listen on (default 127.0.0.1:8088)
 *   REVIEW_UI_BASE_URL         where people reach the page (default http://<address>); links and the allowed origin
 *   REVIEW_UI_KEY / _KEY_FILE  the approval-link key (at least 32 bytes); without it no approval link works
 *   REVIEW_UI_OPERATOR_TOKEN   operators sign in with it (at least 16 characters); without it nobody can steer here
 *   REVIEW_WEB_UI_URL          the Temporal Web UI, for links to workflows and activities
 *   REVIEW_DIRECTORY_FILE      the directory of approvers: a decision's roles come from it
 */
import { parseListenAddress } from '../http/listen-address';
import { checkBaseUrl, linkKeyFromEnv } from './link-config';

export interface ReviewPageConfig {
  host: string;
  port: number;
  /** Where host:port came from (`--listen` or REVIEW_UI_ADDRESS), for messages about it. */
  addressSetting: string;
  baseUrl: string;
  linkKey?: Buffer;
  operatorToken?: string;
  webUiUrl?: string;
  directoryFile?: string;
}

export const DEFAULT_UI_ADDRESS = '127.0.0.1:8088';
const ADDRESS_EXAMPLE = '127.0.0.1:8088 (or 0.0.0.0:8088 to listen on every interface)';
// The base that web-ui-links.ts puts /namespaces/<ns>/workflows/... after, so no namespace in it.
const WEB_UI_EXAMPLE = 'where the Temporal Web UI is reached, e.g. http://127.0.0.1:8233 (a dev server) or https://cloud.temporal.io';

/** host:port ([::1]:8088 too), or what to write; not port 0, since the links the page makes name its port. */
export function parseAddress(value: string, name = 'REVIEW_UI_ADDRESS'): { host: string; port: number } {
  const address = parseListenAddress(value, name, ADDRESS_EXAMPLE);
  if (address.port === 0) throw new Error(`${name} '${value}' is not an address to listen on: give a port from 1 to 65535 (the page's links name it), e.g. ${ADDRESS_EXAMPLE}`);
  return address;
}

/** The settings, or one error naming every bad variable and what it expects. */
export function reviewPageConfig(env: Record<string, string | undefined> = process.env, overrides: { listen?: string; baseUrl?: string } = {}): ReviewPageConfig {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const address = overrides.listen ?? env.REVIEW_UI_ADDRESS?.trim() ?? DEFAULT_UI_ADDRESS;
  const addressSetting = overrides.listen !== undefined ? '--listen' : 'REVIEW_UI_ADDRESS';
  const listen = attempt(() => parseAddress(address || DEFAULT_UI_ADDRESS, addressSetting));
  const baseRaw = overrides.baseUrl ?? env.REVIEW_UI_BASE_URL?.trim();
  const baseUrl = baseRaw ? attempt(() => checkBaseUrl(baseRaw, overrides.baseUrl !== undefined ? '--base-url' : 'REVIEW_UI_BASE_URL')) : listen ? `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}` : undefined;
  const linkKey = attempt(() => linkKeyFromEnv(env));
  const operatorToken = env.REVIEW_UI_OPERATOR_TOKEN;
  if (operatorToken !== undefined && operatorToken !== '' && operatorToken.length < 16) problems.push('REVIEW_UI_OPERATOR_TOKEN is shorter than 16 characters; use a long random token (e.g. openssl rand -hex 24)');
  const webUi = env.REVIEW_WEB_UI_URL?.trim();
  const webUiUrl = webUi ? attempt(() => checkBaseUrl(webUi, 'REVIEW_WEB_UI_URL', WEB_UI_EXAMPLE)) : undefined;
  if (problems.length > 0 || !listen || !baseUrl) throw new Error(`the review page cannot start: ${problems.join('; ')}`);
  const directoryFile = env.REVIEW_DIRECTORY_FILE?.trim();
  return {
    host: listen.host,
    port: listen.port,
    addressSetting,
    baseUrl,
    ...(linkKey ? { linkKey } : {}),
    ...(operatorToken ? { operatorToken } : {}),
    ...(webUiUrl ? { webUiUrl } : {}),
    ...(directoryFile ? { directoryFile } : {}),
  };
}
