import { ConfigError } from '../../errors.js';
import { redactAddress, redactUrl } from '../../net/redact.js';

/** The Pushgateway address used when neither --gateway nor the environment names one. */
export const DEFAULT_GATEWAY = 'http://pushgateway:9091';

export interface GatewayAddress {
  /** The gateway's base URL, credentials removed. */
  url: URL;
  /** Basic-auth credentials found in the URL's userinfo, if any. */
  userinfo?: { username: string; password: string };
}

/**
 * Where to push: `--gateway`, else PUSHGATEWAY_URL, else Simplepipe's PUSH_GATEWAY_HOSTNAME, else the
 * per-namespace service. Like the Python client, an address without a scheme gets `http://`.
 */
export function resolveGatewayAddress(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env.PUSHGATEWAY_URL || env.PUSH_GATEWAY_HOSTNAME || DEFAULT_GATEWAY;
}

export function parseGatewayAddress(address: string): GatewayAddress {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(address) ? address : `http://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`the gateway address "${redactAddress(address)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`the gateway URL must be http:// or https://, not ${url.protocol}//`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`the gateway URL ${redactUrl(url)} must not carry a query or fragment`);
  }
  let userinfo: GatewayAddress['userinfo'];
  try {
    if (url.username || url.password) userinfo = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  } catch {
    throw new ConfigError(`the credentials in the gateway URL ${redactUrl(url)} are not valid percent-encoding`);
  }
  url.username = '';
  url.password = '';
  return userinfo ? { url, userinfo } : { url };
}
