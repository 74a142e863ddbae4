import type { Agent, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { loadTlsMaterial, type TlsOptions } from '../tls.js';
import type { Transport, TransportRequest, TransportResponse } from './index.js';

/**
 * Node's own http and https modules, with one keep-alive agent per scheme (a remote write sends many
 * requests). https, and the TLS files, are loaded only for an https:// server.
 */
export async function nodeHttpTransport(tls: TlsOptions = {}): Promise<Transport> {
  // Read and checked up front, so a bad file is a configuration error before any request.
  const material = await loadTlsMaterial(tls);
  const agents = new Map<string, Promise<{ agent: Agent; request: typeof import('node:http').request }>>();
  const watched = new WeakSet<Socket>();
  let lastAlert: Error | undefined;

  const clientFor = (protocol: string) => {
    let client = agents.get(protocol);
    if (client === undefined) {
      client =
        protocol === 'https:'
          ? import('node:https').then((https) => ({ agent: new https.Agent({ keepAlive: true, ...material }), request: https.request }))
          : import('node:http').then((http) => ({ agent: new http.Agent({ keepAlive: true }), request: http.request }));
      agents.set(protocol, client);
    }
    return client;
  };

  return {
    async send(request: TransportRequest, signal: AbortSignal): Promise<TransportResponse> {
      const { agent, request: send } = await clientFor(request.url.protocol);
      const body = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
      const headers = body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.byteLength) };
      return new Promise((resolve, reject) => {
        const outgoing = send(request.url, { method: request.method, headers, agent, signal }, (response) => {
          readAll(response).then(resolve, reject);
        });
        outgoing.on('socket', (socket: Socket) => {
          if (watched.has(socket)) return;
          watched.add(socket);
          // With TLS 1.3 a server refuses a client certificate only after the handshake, and the request
          // may then see only a reset: the alert the socket saw first is kept to say what really happened.
          socket.on('error', (error: NodeJS.ErrnoException) => {
            if (/^ERR_SSL_.*ALERT/.test(String(error.code))) lastAlert = error;
          });
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    async close() {
      for (const client of agents.values()) (await client).agent.destroy();
    },
    takeTlsAlert() {
      const alert = lastAlert;
      lastAlert = undefined;
      return alert;
    },
  };
}

async function readAll(response: IncomingMessage): Promise<TransportResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const header = (name: string): string | undefined => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: header('location'), retryAfter: header('retry-after') };
}
