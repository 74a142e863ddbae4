import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyRoute } from '../proxy.js';
import { loadTlsMaterial, type TlsOptions } from '../tls.js';
import { failedAfterBody, firstHeader, isStreamed, type Transport, type TransportRequest, type TransportResponse } from './index.js';

/**
 * Node's own http and https modules, with one keep-alive agent per scheme (a remote write sends many
 * requests). https, and the TLS files, are loaded only for an https:// server; the proxy agents only
 * when `proxy` is given (a proxy variable applies to the server).
 */
export async function nodeHttpTransport(tls: TlsOptions = {}, proxy?: ProxyRoute): Promise<Transport> {
  // Read and checked up front, so a bad file is a configuration error before any request.
  const material = await loadTlsMaterial(tls);
  const agents = new Map<string, Promise<{ agent: Agent; request: typeof import('node:http').request }>>();
  const watched = new WeakSet<Socket>();
  let lastAlert: Error | undefined;

  const clientFor = (protocol: string) => {
    let client = agents.get(protocol);
    if (client === undefined) {
      client =
        proxy !== undefined
          ? Promise.all([import('./proxyAgent.js'), protocol === 'https:' ? import('node:https') : plainHttp()]).then(async ([{ proxyAgent }, module]) => ({
              agent: await proxyAgent(proxy, protocol, material),
              request: module.request,
            }))
          : protocol === 'https:'
          ? import('node:https').then((https) => ({ agent: new https.Agent({ keepAlive: true, ...material }), request: https.request }))
          : Promise.resolve(plainHttp()).then((http) => ({ agent: new http.Agent({ keepAlive: true }), request: http.request }));
      agents.set(protocol, client);
    }
    return client;
  };

  return {
    async send(request: TransportRequest, signal: AbortSignal): Promise<TransportResponse> {
      const { agent, request: send } = await clientFor(request.url.protocol);
      const given = request.body;
      const streamed = isStreamed(given) ? given : undefined;
      const body = given === undefined || isStreamed(given) ? undefined : typeof given === 'string' ? Buffer.from(given) : given;
      // Without a Content-Length, Node sends a PUT or POST body chunked.
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
        outgoing.on('error', (error) => reject(failedAfterBody(error, outgoing.writableFinished)));
        if (streamed === undefined) outgoing.end(body);
        else {
          writePieces(outgoing, streamed.pieces).catch((error: unknown) => {
            outgoing.destroy();
            reject(error);
          });
        }
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

/**
 * Writes a streamed body piece by piece, waiting whenever the socket's buffer is full: what the server has
 * not yet read is never encoded, so a large push holds about one piece of its body at a time.
 */
async function writePieces(outgoing: ClientRequest, pieces: Iterable<string | Uint8Array>): Promise<void> {
  for (const piece of pieces) {
    // Aborted, timed out, or the server went away: the request's own error says why.
    if (outgoing.destroyed) return;
    if (!outgoing.write(piece)) await drained(outgoing);
  }
  if (!outgoing.destroyed) outgoing.end();
}

const drained = (outgoing: ClientRequest): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });

async function readAll(response: IncomingMessage): Promise<TransportResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const { location, 'retry-after': retryAfter } = response.headers;
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: firstHeader(location), retryAfter: firstHeader(retryAfter) };
}

/**
 * node:http through process.getBuiltinModule, not import(): Node 22.5+'s http exports a lazy WebSocket, and
 * the ES module import() builds reads every export, loading Node's undici and with it tls, crypto, zlib and
 * http2, none of which a plain http:// push needs (test/build/plainHttpModules.test.ts).
 */
const plainHttp = (): typeof import('node:http') => process.getBuiltinModule('node:http');
