/** The transport contract every sink's requests go through; openTransport (open.ts) picks an implementation. */

/** One HTTP request as a sink sends it. */
export interface TransportRequest {
  method: 'PUT' | 'POST' | 'DELETE' | 'GET';
  url: URL;
  headers: Record<string, string>;
  /** Text (exposition), bytes (a compressed protobuf message), or text sent as it is rendered. */
  body?: RequestBody;
}

export type RequestBody = string | Uint8Array | StreamedBody;

/**
 * A body sent while it is produced, with chunked transfer encoding: the Pushgateway parses the first
 * pieces while the rest are encoded. `pieces` is iterated afresh by every attempt of a retried request.
 * The body ends (its terminating chunk is sent) only when `pieces` ends; when it throws, the request is
 * cut off without that end, and the error is the request's, never retried (thrownByBody).
 */
export interface StreamedBody {
  streamed: true;
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
}

export const isStreamed = (body: RequestBody | undefined): body is StreamedBody => typeof body === 'object' && 'streamed' in body;

/** The server's answer, as far as the sinks read it. */
export interface TransportResponse {
  status: number;
  body: string;
  location?: string;
  retryAfter?: string;
}

/** A response header's value as the sinks read it: the first, when the server sent it more than once. */
export const firstHeader = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Marks the error a request failed with once its whole body had been sent: the server may have applied
 * it, which a stop at that moment must say (an error object is the only thing a rejected send carries).
 */
const bodySentErrors = new WeakSet<object>();
export function failedAfterBody<E>(error: E, bodySent: boolean): E {
  if (bodySent && typeof error === 'object' && error !== null) bodySentErrors.add(error);
  return error;
}
export const wasBodySent = (error: unknown): boolean => typeof error === 'object' && error !== null && bodySentErrors.has(error);

/**
 * Marks the error a streamed body's own pieces threw (an input refused while it was being sent): it says
 * why the request was cut off, and no retry can mend it.
 */
const bodyErrors = new WeakSet<object>();
export function thrownByBody<E>(error: E): E {
  if (typeof error === 'object' && error !== null) bodyErrors.add(error);
  return error;
}
/** The error a streamed body threw, found through the transport's wrappers (undici's `cause`). */
export function errorOfBody(error: unknown): Error | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) if (bodyErrors.has(current)) return current;
  return undefined;
}

/** Sends requests to one server and keeps its connections open until close(). */
export interface Transport {
  /** Rejects with the transport's own error (ECONNREFUSED, an abort, a TLS failure) for the retry loop to classify. */
  send(request: TransportRequest, signal: AbortSignal): Promise<TransportResponse>;
  close(): Promise<void>;
  /** The TLS alert a connection ended with since the last call, if any (see nodeHttp.ts). */
  takeTlsAlert(): Error | undefined;
}
