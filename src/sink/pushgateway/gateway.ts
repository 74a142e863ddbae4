import { parseHttpAddress, type HttpAddress } from '../../net/address.js';

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

/** The gateway's base URL: a group's path is appended to it, so it carries no query. */
export function parseGatewayAddress(address: string): GatewayAddress {
  return parseHttpAddress(address, { what: 'gateway' });
}
