import { DataError, type OptionMessage } from '../errors.js';

/** The default `maxInputBytes` (--max-input-bytes): 64 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Collects a byte stream into one buffer, stopping as soon as it passes `maxBytes`, so an oversized
 * input is refused without being held in memory.
 */
export async function readLimited(stream: AsyncIterable<Uint8Array>, maxBytes: number, origin: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(origin, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

export function tooLarge(origin: string, maxBytes: number, size?: number): InputTooLargeError {
  const actual = size === undefined ? 'more than that' : `${size} bytes`;
  return new InputTooLargeError((name) => `${origin} is larger than ${name('maxInputBytes')} ${maxBytes} (${actual})`, origin, size);
}

/** An input over the limit it was read with; the pipeline tells a memory limit from `maxInputBytes` by it. */
export class InputTooLargeError extends DataError {
  constructor(
    message: string | OptionMessage,
    readonly origin: string,
    readonly size: number | undefined,
  ) {
    super(message);
  }
}
