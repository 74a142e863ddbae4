/**
 * Sizes in protobuf's wire format, shared by the two encoders written by hand: the Pushgateway's delimited
 * MetricFamily body (metricFamilies.ts) and remote write's WriteRequest (sink/remoteWrite/wire.ts).
 */

/** The UTF-8 length of `text`: ASCII, the common case, is one byte a character, without asking Buffer. */
export function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text);
  return text.length;
}

/** The bytes of a base-128 varint of a non-negative integer. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}
