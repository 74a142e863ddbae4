import type { ValidRecord } from '../records.js';
import { cumulativeBucketCounts, DEFAULT_BUCKETS } from './buckets.js';
import { seriesLabels } from './families.js';
import { DEFAULT_QUANTILES, nearestRankQuantiles } from './quantiles.js';
import { observationSum } from './series.js';
import { utf8Length, varintSize } from './protobufSizes.js';

/** The content type of a stream of length-delimited `io.prometheus.client.MetricFamily` messages. */
export const DELIMITED_PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/**
 * Validated families (groupByName) as length-delimited `io.prometheus.client.MetricFamily` messages
 * (client_model's metrics.proto), the Pushgateway's second push format, in pieces of about `pieceBytes`.
 *
 * Why a push is sent so rather than as text: the gateway reads a text body up to its last whole line and
 * applies that, even when the body was cut off (the connection ended before Content-Length, or before the
 * terminating chunk: test/sink/pushgateway/truncatedBody.test.ts), so a push killed half-way leaves a
 * group that is neither the old push nor the new. A delimited stream is read to its declared end, and a
 * body that ends early, at any byte, is refused whole (test/sink/pushgateway/cutPoints.property.test.ts).
 *
 * One family is one message: the gateway keeps the last message of a name, so a family cannot be split
 * across messages. Its length is summed before its first byte is written, then the message is written in
 * pieces, so a family of 100,000 series is never held whole. Joined, the pieces hold the same series that
 * renderFamilies() writes as text.
 */
export function metricFamilyPieces(families: readonly (readonly ValidRecord[])[], pieceBytes = 64 * 1024): Iterable<Uint8Array> {
  return {
    *[Symbol.iterator]() {
      const out = new PieceWriter(pieceBytes);
      yield* familiesWritten(families, out);
      if (!out.empty()) yield out.take();
    },
  };
}

/**
 * metricFamilyPieces() of families that arrive in batches, as an input is validated while it is sent
 * (pipeline.ts): the pieces of each batch as soon as it comes, and the last piece, which ends the body,
 * only once the batches have ended. Joined, the same bytes as metricFamilyPieces() of every batch's families.
 */
export async function* metricFamilyPiecesOf(batches: AsyncIterable<readonly (readonly ValidRecord[])[]>, pieceBytes = 64 * 1024): AsyncGenerator<Uint8Array> {
  const out = new PieceWriter(pieceBytes);
  for await (const batch of batches) yield* familiesWritten(batch, out);
  if (!out.empty()) yield out.take();
}

/** Writes each family as one message into `out`, handing over every piece it fills; the rest stays in `out`. */
function* familiesWritten(families: readonly (readonly ValidRecord[])[], out: PieceWriter): Generator<Uint8Array, void, void> {
  for (const family of families) {
    const first = family[0]!;
    // A summary's quantiles and a histogram's bucket counts are kept from the sizing pass to the writing one; a
    // gauge's contents are its value, cheaper to take again than to hold for 100,000 series. Sizes in a typed
    // array: one object, not one per series.
    const kept = first.type === 'summary' || first.type === 'histogram' ? family.map(contents) : undefined;
    const sizes = new Float64Array(family.length);
    let body = stringField(first.name) + stringField(first.help) + 1 + varintSize(FAMILY_TYPES[first.type]);
    for (let i = 0; i < family.length; i++) {
      const size = metricSize(family[i]!, kept?.[i] ?? contents(family[i]!));
      sizes[i] = size;
      body += 1 + varintSize(size) + size;
    }
    out.varint(body);
    out.string(1, first.name);
    out.string(2, first.help);
    out.tag(3, VARINT);
    out.varint(FAMILY_TYPES[first.type]);
    for (let i = 0; i < family.length; i++) {
      out.tag(4, LENGTH);
      out.varint(sizes[i]!);
      writeMetric(family[i]!, kept?.[i] ?? contents(family[i]!), out);
      if (out.full()) yield out.take();
    }
  }
}

// metrics.proto: enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; }. An info record is a gauge of 1.
const FAMILY_TYPES = { counter: 0, gauge: 1, info: 1, summary: 2, histogram: 4 } as const satisfies Record<ValidRecord['type'], number>;

// Wire types.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;

// Field numbers of metrics.proto's Metric: label 1, gauge 2, counter 3, summary 4, histogram 7; Gauge and Counter: value 1.
const METRIC_FIELDS = { gauge: 2, counter: 3, info: 2, summary: 4, histogram: 7 } as const satisfies Record<ValidRecord['type'], number>;

/** What a record's Metric message holds beyond its labels, computed once for both its size and its bytes. */
type Contents = { value: number } | { count: number; sum: number; quantiles: readonly number[]; values: number[] } | { count: number; sum: number; bounds: readonly number[]; counts: number[] };

function contents(record: ValidRecord): Contents {
  switch (record.type) {
    case 'gauge':
    case 'counter':
      return { value: record.value };
    case 'info':
      return { value: 1 };
    case 'summary': {
      const quantiles = record.quantiles ?? DEFAULT_QUANTILES;
      return { count: record.observations.length, sum: observationSum(record.observations), quantiles, values: nearestRankQuantiles(record.observations, quantiles) };
    }
    case 'histogram': {
      // The +Inf bucket written out, as a text push has it: the gateway's API then lists it as it would.
      const bounds = [...(record.buckets ?? DEFAULT_BUCKETS), Infinity];
      const counts = cumulativeBucketCounts(record.observations, bounds);
      return { count: record.observations.length, sum: observationSum(record.observations), bounds, counts };
    }
  }
}

/** The bytes of a record's Metric message (without its own tag and length). */
function metricSize(record: ValidRecord, content: Contents): number {
  let size = 0;
  const labels = seriesLabels(record);
  for (const name in labels) {
    const pair = stringField(name) + stringField(labels[name]!);
    size += 1 + varintSize(pair) + pair;
  }
  const inner = innerSize(content);
  return size + 1 + varintSize(inner) + inner;
}

function innerSize(content: Contents): number {
  if ('value' in content) return DOUBLE_FIELD;
  // sample_count (varint) and sample_sum (double), then one nested message per quantile or bucket.
  let size = 1 + varintSize(content.count) + DOUBLE_FIELD;
  if ('quantiles' in content) size += content.quantiles.length * (2 + 2 * DOUBLE_FIELD);
  else for (const count of content.counts) size += 2 + 1 + varintSize(count) + DOUBLE_FIELD;
  return size;
}

function writeMetric(record: ValidRecord, content: Contents, out: PieceWriter): void {
  const labels = seriesLabels(record);
  for (const name in labels) {
    const value = labels[name]!;
    out.tag(1, LENGTH);
    out.varint(stringField(name) + stringField(value));
    out.string(1, name);
    out.string(2, value);
  }
  out.tag(METRIC_FIELDS[record.type], LENGTH);
  out.varint(innerSize(content));
  if ('value' in content) {
    out.double(1, content.value);
    return;
  }
  out.tag(1, VARINT);
  out.varint(content.count);
  out.double(2, content.sum);
  if ('quantiles' in content) {
    content.quantiles.forEach((phi, i) => {
      out.tag(3, LENGTH);
      out.varint(2 * DOUBLE_FIELD);
      out.double(1, phi);
      out.double(2, content.values[i]!);
    });
  } else {
    content.bounds.forEach((bound, i) => {
      const count = content.counts[i]!;
      out.tag(3, LENGTH);
      out.varint(1 + varintSize(count) + DOUBLE_FIELD);
      out.tag(1, VARINT);
      out.varint(count);
      out.double(2, bound);
    });
  }
}

/** A tag byte and eight bytes. */
const DOUBLE_FIELD = 9;

/** A string field's tag, length and UTF-8 bytes. */
function stringField(text: string): number {
  const bytes = utf8Length(text);
  return 1 + varintSize(bytes) + bytes;
}

/** Protobuf's wire encoding into buffers of about `pieceBytes`, handed over whole by take(). */
class PieceWriter {
  #buffer: Buffer;
  #at = 0;
  readonly #pieceBytes: number;

  constructor(pieceBytes: number) {
    this.#pieceBytes = pieceBytes;
    this.#buffer = Buffer.allocUnsafe(pieceBytes + RESERVE);
  }

  full(): boolean {
    return this.#at >= this.#pieceBytes;
  }

  empty(): boolean {
    return this.#at === 0;
  }

  take(): Uint8Array {
    const piece = this.#buffer.subarray(0, this.#at);
    this.#buffer = Buffer.allocUnsafe(this.#pieceBytes + RESERVE);
    this.#at = 0;
    return piece;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  varint(value: number): void {
    this.#room(10);
    while (value >= 0x80) {
      this.#buffer[this.#at++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.#buffer[this.#at++] = value;
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.#room(8);
    this.#buffer.writeDoubleLE(value, this.#at);
    this.#at += 8;
  }

  string(field: number, text: string): void {
    const bytes = utf8Length(text);
    this.tag(field, LENGTH);
    this.varint(bytes);
    this.#room(bytes);
    // As many bytes as characters is ASCII. A short one is copied here: Buffer#write's call into C++ costs more
    // than the copy for a label of a few characters, and a push writes hundreds of thousands of them.
    if (bytes === text.length && bytes <= SHORT_STRING) {
      const buffer = this.#buffer;
      for (let i = 0; i < bytes; i++) buffer[this.#at + i] = text.charCodeAt(i);
      this.#at += bytes;
    } else this.#at += this.#buffer.write(text, this.#at, 'utf8');
  }

  /** Makes room for `bytes` more: past the reserve, the current piece is grown (a very long label value). */
  #room(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(this.#at + bytes + this.#pieceBytes);
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }
}

/** The longest string copied character by character (PieceWriter#string). */
const SHORT_STRING = 64;

/** Head room past a piece's size, so that the fields of one series rarely need the buffer grown. */
const RESERVE = 4096;
