import type { MetricMetadata, TimeSeries } from './messages.js';
import { utf8Length, varintSize } from '../../convert/protobufSizes.js';

/**
 * A WriteRequest's protobuf (prompb), written series by series into one buffer: the bytes protobufjs
 * writes for the same message (test/sink/remoteWrite/wire.property.test.ts), without the message objects
 * or protobufjs's list of pending writes, which for one family of 100,000 series held over 100 MB
 * (issue 28). Timeseries come first, then the metadata, as protobufjs orders the fields; and as protobufjs
 * does with this proto3 schema, a field at its default (a value or timestamp of 0, an empty string) is
 * left out, which a reader takes for that default.
 */
export class WriteRequestWriter {
  #buffer = Buffer.allocUnsafe(64 * 1024);
  #at = 0;
  readonly #metadata: MetricMetadata[] = [];
  series = 0;

  /** `expectedSeries`, when known: the buffer grows to what the series written so far say the rest will need, not to twice its size. */
  constructor(readonly expectedSeries = 0) {}

  /** Writes a series (seriesBuilder's), which may be dropped at once. */
  timeSeries(series: TimeSeries): void {
    let size = 0;
    for (const label of series.labels) size += nested(labelSize(label.name, label.value));
    for (const sample of series.samples) size += nested(sampleSize(sample.value, sample.timestamp));
    this.#tag(1, LENGTH);
    this.#varint(size);
    for (const label of series.labels) {
      this.#tag(1, LENGTH);
      this.#varint(labelSize(label.name, label.value));
      this.#string(1, label.name);
      this.#string(2, label.value);
    }
    for (const { value, timestamp } of series.samples) {
      this.#tag(2, LENGTH);
      this.#varint(sampleSize(value, timestamp));
      if (value !== 0) {
        this.#tag(1, FIXED64);
        this.#room(8);
        this.#buffer.writeDoubleLE(value, this.#at);
        this.#at += 8;
      }
      if (timestamp !== 0) {
        this.#tag(2, VARINT);
        this.#int64(timestamp);
      }
    }
    this.series++;
  }

  metadata(metadata: MetricMetadata): void {
    this.#metadata.push(metadata);
  }

  /** The message's bytes; the writer is spent. */
  finish(): Uint8Array {
    for (const { type, metric_family_name: name, help } of this.#metadata) {
      this.#tag(3, LENGTH);
      // The type is never UNKNOWN (0): written always.
      this.#varint(1 + varintSize(type) + stringSize(name) + stringSize(help));
      this.#tag(1, VARINT);
      this.#varint(type);
      this.#string(2, name);
      this.#string(4, help);
    }
    return this.#buffer.subarray(0, this.#at);
  }

  #tag(field: number, wireType: number): void {
    this.#varint((field << 3) | wireType);
  }

  #varint(value: number): void {
    this.#room(10);
    while (value >= 0x80) {
      this.#buffer[this.#at++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.#buffer[this.#at++] = value;
  }

  /** An int64 as protobuf writes it: a negative one (a timestamp before 1970) in ten bytes, as two's complement. */
  #int64(value: number): void {
    if (value >= 0) return this.#varint(value);
    this.#room(10);
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest >= 0x80n) {
      this.#buffer[this.#at++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.#buffer[this.#at++] = Number(rest);
  }

  #string(field: number, text: string): void {
    if (text === '') return;
    const bytes = utf8Length(text);
    this.#tag(field, LENGTH);
    this.#varint(bytes);
    this.#room(bytes);
    this.#at += this.#buffer.write(text, this.#at, 'utf8');
  }

  /**
   * Grows the buffer when `bytes` more would not fit: to the size the series written so far foretell for all of them,
   * with a tenth to spare, or else to twice its size. Doubling alone left the buffers outgrown, as large together as the
   * last, for the garbage collector to find: 8 MB of a one-family write of 100,000 series, in its peak memory (issue 28).
   */
  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const left = this.expectedSeries - this.series;
    const foretold = this.series > 0 && left > 0 ? Math.ceil(this.#at + (1.1 * this.#at * left) / this.series) : 2 * this.#buffer.length;
    const grown = Buffer.allocUnsafe(Math.max(foretold, Math.ceil(1.25 * this.#buffer.length), this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }
}

// Wire types.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;

/** A nested message's tag, length and bytes. */
const nested = (size: number): number => 1 + varintSize(size) + size;

const labelSize = (name: string, value: string): number => stringSize(name) + stringSize(value);

/** A Sample: the value (a tag and a double), the timestamp (a tag and an int64), each unless 0. */
const sampleSize = (value: number, timestamp: number): number =>
  (value === 0 ? 0 : 9) + (timestamp === 0 ? 0 : 1 + (timestamp > 0 ? varintSize(timestamp) : 10));

/** A string field's tag, length and UTF-8 bytes; nothing for an empty one. */
function stringSize(text: string): number {
  if (text === '') return 0;
  const bytes = utf8Length(text);
  return 1 + varintSize(bytes) + bytes;
}
