import type { Dispatcher } from 'undici';
import type { ProxyRoute } from '../proxy.js';
import type { TlsOptions } from '../tls.js';
import type { Transport } from './index.js';

/**
 * The transport for a run: Node's own http/https modules, or, for a library caller who passes an undici
 * `dispatcher` (a proxy, a mock, a pool of its own), undici through that dispatcher. `proxy` (from the
 * environment's proxy variables) applies to the first only: a caller's dispatcher decides its own route. The CLI always takes
 * the first: loading undici costs a start-up about as long as Node's own (bench/README.md).
 */
export async function openTransport(options: { tls?: TlsOptions; dispatcher?: Dispatcher; proxy?: ProxyRoute }): Promise<Transport> {
  if (options.dispatcher !== undefined) {
    const { undiciTransport } = await import('./undici.js');
    return undiciTransport(options.dispatcher);
  }
  const { nodeHttpTransport } = await import('./nodeHttp.js');
  return nodeHttpTransport(options.tls, options.proxy);
}
