import type { Agent, AgentOptions, ClientRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxyRoute } from '../proxy.js';
import type { TlsMaterial } from '../tls.js';

type Callback = (error: Error | null, socket?: Duplex) => void;

/** A proxy's refusal of a tunnel: with `code`, so the retry loop can tell a refused password from a passing fault. */
export class ProxyRefusal extends Error {
  readonly code: string;
  constructor(message: string, readonly status: number) {
    super(message);
    // tinyproxy answers a wrong password with 401 (and a missing one with 407): either is the proxy refusing us.
    this.code = status === 407 || status === 401 ? 'ERR_PROXY_AUTH_REQUIRED' : 'ERR_PROXY_CONNECT';
  }
}

/**
 * A keep-alive agent that sends every request through `proxy`, as curl does: to an http:// server the
 * request itself goes to the proxy with its absolute URL (the proxy forwards it, and a proxy that allows
 * CONNECT only to port 443 still serves it); to an https:// server a CONNECT tunnel is opened and TLS
 * (with `material`: CA, client certificate, verification) runs through it end to end. The proxy's
 * userinfo is sent as Proxy-Authorization. Node's net, tls and http are loaded only here, on first use.
 */
export async function proxyAgent(proxy: ProxyRoute, protocol: string, material: TlsMaterial): Promise<Agent> {
  // As nodeHttp.ts takes it: Node's http module without the ESM loader's wrapper (issue 26).
  const http = process.getBuiltinModule('node:http');
  const net = process.getBuiltinModule('node:net');
  const authorization = proxy.url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.url.username)}:${decodeURIComponent(proxy.url.password)}`).toString('base64')}`
    : undefined;
  const proxyPort = Number(proxy.url.port || 80);
  const proxyHost = proxy.url.hostname.replace(/^\[|\]$/g, '');

  if (protocol !== 'https:') {
    /** Forwards: the request line carries the absolute URL, the socket goes to the proxy. */
    class ForwardingAgent extends http.Agent {
      addRequest(request: ClientRequest, options: AgentOptions & { host?: string; port?: number | string }): void {
        const port = options.port && String(options.port) !== '80' ? `:${options.port}` : '';
        request.path = `http://${options.host}${port}${request.path}`;
        if (authorization !== undefined) request.setHeader('proxy-authorization', authorization);
        // Node's Agent has addRequest; its type declarations leave it out.
        (http.Agent.prototype as unknown as { addRequest: (r: ClientRequest, o: unknown) => void }).addRequest.call(this, request, options);
      }
      override createConnection(): Duplex {
        return net.connect(proxyPort, proxyHost);
      }
    }
    return new ForwardingAgent({ keepAlive: true });
  }

  const [https, tls] = await Promise.all([import('node:https'), import('node:tls')]);
  /** Tunnels: CONNECT host:port, then TLS with the server inside the tunnel. */
  class TunnelingAgent extends https.Agent {
    override createConnection(options: { host?: string; port?: number | string; servername?: string }, callback: Callback): undefined {
      const host = options.host ?? 'localhost';
      const authority = `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 443}`;
      const connect = http.request({
        host: proxyHost,
        port: proxyPort,
        method: 'CONNECT',
        path: authority,
        headers: { host: authority, ...(authorization === undefined ? {} : { 'proxy-authorization': authorization }) },
        agent: false,
      });
      connect.once('connect', (response, socket) => {
        if (response.statusCode !== 200) {
          socket.destroy();
          const status = response.statusCode ?? 0;
          callback(new ProxyRefusal(`the proxy ${proxy.shown} (${proxy.variable}) refused to open a tunnel to ${authority}: HTTP ${status} ${response.statusMessage ?? ''}`.trim(), status));
          return;
        }
        // `host` names the server whose certificate is checked; SNI is sent only for a name, never an address.
        const servername = options.servername || (net.isIP(host) ? undefined : host);
        const secure = tls.connect({ ...material, socket, host, ...(servername === undefined ? {} : { servername }) });
        callback(null, secure);
      });
      connect.once('error', (error) => callback(new Error(`the proxy ${proxy.shown} (${proxy.variable}) cannot be reached: ${error.message}`, { cause: error })));
      connect.end();
      return undefined;
    }
  }
  return new TunnelingAgent({ keepAlive: true, ...material });
}
