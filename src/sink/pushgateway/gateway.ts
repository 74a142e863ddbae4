import { ConfigError } from '../../errors.js';
import { parseHttpAddress, type HttpAddress } from '../../net/address.js';
import { redactUrl } from '../../net/redact.js';

/** The Pushgateway address used when neither --gateway nor the environment names one. */
export const DEFAULT_GATEWAY = 'http://pushgateway:9091';

export type GatewayAddress = HttpAddress;

/**
 * Where to push: `--gateway`, else PUSHGATEWAY_URL, else Simplepipe's PUSH_GATEWAY_HOSTNAME, else the
 * per-namespace service. Like the Python client, an address without a scheme gets `http://`.
 */
export function resolveGatewayAddress(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env.PUSHGATEWAY_URL || env.PUSH_GATEWAY_HOSTNAME || DEFAULT_GATEWAY;
}

/**
 * The gateway's base URL: a group's path is appended to it, so it carries no query, and no group path of
 * its own (`…/metrics/job/victim/x` would push to the group {job="victim", x="metrics"}). A route prefix
 * (`/pushgateway`, even `/metrics`) is a base URL like any other.
 */
export function parseGatewayAddress(address: string): GatewayAddress {
  const parsed = parseHttpAddress(address, { what: 'gateway' });
  const groupAt = parsed.url.pathname.search(/\/metrics\/job(@base64)?(\/|$)/);
  if (groupAt !== -1) {
    const base = new URL(parsed.url.href);
    base.pathname = parsed.url.pathname.slice(0, groupAt) || '/';
    throw new ConfigError(
      (name) =>
        `the gateway URL ${redactUrl(parsed.url)} names a group (${parsed.url.pathname.slice(groupAt)}): give the gateway's base URL, ` +
        `${redactUrl(base)}, with its route prefix if it has one, and the group as ${name('job')} and ${name('grouping')}`,
    );
  }
  return parsed;
}
