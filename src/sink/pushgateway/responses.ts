import { ConfigError } from '../../errors.js';
import type { ResponsePolicy } from '../../net/response.js';

/**
 * How the Pushgateway answers. 200 and 202 are its success codes; 408, 429 and 5xx may pass; a 404 or
 * 405 means the URL names no Pushgateway API, usually a missing route prefix (the gateway's --web.route-prefix).
 */
export const GATEWAY_RESPONSES: ResponsePolicy = {
  server: 'gateway',
  addressOption: 'gateway',
  action: 'push',
  succeeded: (status) => status === 200 || status === 202,
  retryable: (status) => status === 408 || status === 429 || status >= 500,
  final: (status, _reason, target) =>
    status === 404 || status === 405
      ? new ConfigError(`no Pushgateway API at ${target} (HTTP ${status}); check the gateway URL and its --web.route-prefix`, { status })
      : undefined,
};
