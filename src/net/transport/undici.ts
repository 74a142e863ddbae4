import type { Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { firstHeader, isStreamed, thrownByBody, type StreamedBody, type Transport } from './index.js';

/** Sends through a dispatcher the library's caller owns: it is theirs to close, not ours. */
export async function undiciTransport(dispatcher: Dispatcher): Promise<Transport> {
  const { request } = await import('undici');
  return {
    async send({ method, url, headers, body }, signal) {
      const sent = isStreamed(body) ? Readable.from(piecesAsBytes(body.pieces)) : body;
      const response = await request(url, { method, headers, body: sent, signal, dispatcher });
      return {
        status: response.statusCode,
        body: await response.body.text(),
        location: firstHeader(response.headers.location),
        retryAfter: firstHeader(response.headers['retry-after']),
      };
    },
    close: async () => {},
    takeTlsAlert: () => undefined,
  };
}

/** A streamed body as undici reads it: chunked, the next piece encoded when the socket takes more. */
async function* piecesAsBytes(pieces: StreamedBody['pieces']): AsyncGenerator<Uint8Array> {
  try {
    for await (const piece of pieces) yield typeof piece === 'string' ? Buffer.from(piece) : piece;
  } catch (error) {
    throw thrownByBody(error);
  }
}
