import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyRoute } from '../proxy.js';
import { loadTlsMaterial, type TlsOptions } from '../tls.js';
import { failedAfterBody, firstHeader, isStreamed, thrownByBody, wasBodySent, type StreamedBody, type Transport, type TransportRequest, type TransportResponse } from './index.js';

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
      const exchange = (expectContinue: boolean): Promise<TransportResponse> =>
        exchangeOnce(send, request, { agent, signal, expectContinue }, (socket) => {
          if (watched.has(socket)) return;
          watched.add(socket);
          // With TLS 1.3 a server refuses a client certificate only after the handshake, and the request
          // may then see only a reset: the alert the socket saw first is kept to say what really happened.
          socket.on('error', (error: NodeJS.ErrnoException) => {
            if (/^ERR_SSL_.*ALERT/.test(String(error.code))) lastAlert = error;
          });
        });
      try {
        return await exchange(false);
      } catch (error) {
        // A proxy that refuses a forwarded request after its headers (407, 401) closes with the body
        // unread, which resets the connection; Node then fails the body's write and drops the answer that
        // arrived before the reset (Node 22 and later at once; Node 20 too, for a body larger than the
        // socket's buffers). So the request is asked again, at once, with `Expect: 100-continue`: the proxy
        // gives its final answer before any body (RFC 9110, 10.1.1), or forwards the request and the body
        // follows. Only after such a reset, so a request that goes through pays nothing. A body the kernel
        // took whole (loopback buffers hold megabytes) may still be unread: asked again as the retry would.
        if (proxy === undefined || request.url.protocol !== 'http:' || !resetBeforeAnswer(error)) throw error;
        // Had the first body been sent (and maybe applied), a failure of the second still says so.
        const firstSent = wasBodySent(error);
        return exchange(true).catch((again: unknown) => Promise.reject(failedAfterBody(again, firstSent)));
      }
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
 * How long a request sent with `Expect: 100-continue` waits, once connected, for the proxy's early answer
 * or its 100 before sending the body anyway, as curl does (its default, too): a proxy that forwards to an
 * HTTP/1.0 hop, as tinyproxy does, never sends 100.
 */
const CONTINUE_WAIT_MS = 1000;

/** Requests that failed on a reset before any answer arrived (the answer itself may have been lost). */
const unanswered = new WeakSet<object>();
const resetBeforeAnswer = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && unanswered.has(error) && ['ECONNRESET', 'EPIPE'].includes(String((error as NodeJS.ErrnoException).code));

/**
 * One request and its answer. An answer that arrives is the server's word even when the connection is
 * reset while it is read (a server or proxy that answers before reading the whole body and closes): the
 * request's own error then decides nothing; only a cut answer fails. With `expectContinue`, the headers go
 * first and the body follows a 100 Continue, or CONTINUE_WAIT_MS without an answer; a final answer before
 * either means no body is sent at all.
 */
function exchangeOnce(
  send: typeof import('node:http').request,
  request: TransportRequest,
  options: { agent: Agent; signal: AbortSignal; expectContinue: boolean },
  onSocket: (socket: Socket) => void,
): Promise<TransportResponse> {
  const given = request.body;
  const streamed = isStreamed(given) ? given : undefined;
  const body = given === undefined || isStreamed(given) ? undefined : typeof given === 'string' ? Buffer.from(given) : given;
  // Without a Content-Length, Node sends a PUT or POST body chunked.
  const headers = body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.byteLength) };
  return new Promise((resolve, reject) => {
    let answer: IncomingMessage | undefined;
    let bodyStarted = false;
    let continueTimer: NodeJS.Timeout | undefined;
    const outgoing = send(request.url, { method: request.method, headers, agent: options.agent, signal: options.signal }, (response) => {
      answer = response;
      clearTimeout(continueTimer);
      readAll(response).then(
        (read) => {
          // Answered before its body was sent: the connection cannot carry another request.
          if (!bodyStarted) outgoing.destroy();
          resolve(read);
        },
        (error: unknown) => reject(failedAfterBody(error, outgoing.writableFinished)),
      );
    });
    outgoing.on('socket', onSocket);
    outgoing.on('error', (error) => {
      clearTimeout(continueTimer);
      if (answer !== undefined && !answer.destroyed) return;
      if (answer === undefined) unanswered.add(error);
      reject(failedAfterBody(error, outgoing.writableFinished));
    });
    const sendBody = (): void => {
      clearTimeout(continueTimer);
      if (bodyStarted || answer !== undefined || outgoing.destroyed) return;
      bodyStarted = true;
      if (streamed === undefined) outgoing.end(body);
      else {
        writePieces(outgoing, streamed.pieces).catch((error: unknown) => {
          // Destroyed, not ended: without its terminating chunk the server refuses the body whole.
          outgoing.destroy();
          reject(thrownByBody(error));
        });
      }
    };
    if (!options.expectContinue) sendBody();
    else {
      // Set after the agent has had the request (the proxy's agent rewrites its path and adds its
      // credentials there): given to the constructor, an Expect header is sent before the agent sees it.
      outgoing.setHeader('expect', '100-continue');
      outgoing.flushHeaders();
      outgoing.once('continue', sendBody);
      // Counted from the connection, not from the call: only the proxy's time to answer is waited for.
      const startWaiting = (): void => {
        if (!bodyStarted && answer === undefined) continueTimer = setTimeout(sendBody, CONTINUE_WAIT_MS);
      };
      outgoing.once('socket', (socket: Socket) => (socket.connecting ? socket.once('connect', startWaiting) : startWaiting()));
    }
  });
}

/**
 * Writes a streamed body piece by piece, waiting whenever the socket's buffer is full: what the server has
 * not yet read is never encoded, so a large push holds about one piece of its body at a time.
 */
async function writePieces(outgoing: ClientRequest, pieces: StreamedBody['pieces']): Promise<void> {
  for await (const piece of pieces) {
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
