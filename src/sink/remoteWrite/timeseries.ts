import { groupByName } from '../../convert/families.js';
import { countRecordSeries, expandEach, type SampleVisitor } from '../../convert/series.js';
import { DataError } from '../../errors.js';
import type { Labels, ValidRecord } from '../../records.js';
import { checkGroupingKey } from '../../validate/groupingKey.js';
import { MetricTypeCode, type Label, type TimeSeries, type WriteRequest } from './messages.js';
import { WriteRequestWriter } from './wire.js';

export interface SeriesTarget {
  job: string;
  /** Grouping labels: on every series beside `job`, as the Pushgateway would add them. */
  grouping?: Labels;
  /** The one timestamp of every sample of the run, in ms since the Unix epoch. */
  timestampMs: number;
}

/** A dry run's target: the job may not be known yet. */
export type PreviewTarget = Omit<SeriesTarget, 'job'> & { job?: string };

/** Prometheus sends at most this many samples per request by default (queue_config max_samples_per_send, 2.42). */
export const DEFAULT_MAX_SAMPLES_PER_REQUEST = 500;

/**
 * The series a scrape of the records' exposition would store, one sample each at `timestampMs`, in
 * requests of at most `maxSamplesPerRequest` samples. A family is never split across two requests: if a
 * write fails part way, each family is stored whole or not at all (a histogram missing half its buckets
 * would answer queries wrongly). A family larger than the limit goes alone in a request of its own.
 * Each request carries the metadata (type, HELP) of the families it holds, so any one is complete on its own.
 */
export async function buildWriteRequests(
  records: readonly ValidRecord[],
  target: SeriesTarget,
  maxSamplesPerRequest = DEFAULT_MAX_SAMPLES_PER_REQUEST,
): Promise<WriteRequest[]> {
  const toSeries = seriesBuilder(target);
  return planWriteRequests(groupByName(records), maxSamplesPerRequest).map((families) => buildWriteRequest(families, toSeries));
}

/**
 * How buildWriteRequests() splits families (groupByName) into requests, without building a series: the
 * families of each request, in order. A write builds each request from it only when it is about to be
 * sent, so that 100,000 series are never held as messages at once.
 */
export function planWriteRequests(families: readonly (readonly ValidRecord[])[], maxSamplesPerRequest: number): (readonly ValidRecord[])[][] {
  const plan: (readonly ValidRecord[])[][] = [];
  let current: (readonly ValidRecord[])[] = [];
  let samples = 0;
  for (const family of families) {
    const count = countRecordSeries(family);
    if (samples > 0 && samples + count > maxSamplesPerRequest) {
      plan.push(current);
      current = [];
      samples = 0;
    }
    current.push(family);
    samples += count;
  }
  if (samples > 0) plan.push(current);
  return plan;
}

/** One request of planWriteRequests(): the series of its families, built by `toSeries` (seriesBuilder), and their metadata. */
export function buildWriteRequest(families: readonly (readonly ValidRecord[])[], toSeries: SeriesOf): WriteRequest {
  const request: WriteRequest = { timeseries: [], metadata: [] };
  const steps = expandEach(families, {
    family(name, type, help) {
      request.metadata.push({ type: MetricTypeCode[type], metric_family_name: name, help });
    },
    sample(name, labels, value) {
      request.timeseries.push(toSeries(name, labels, value));
    },
  });
  while (!steps.next().done);
  return request;
}

/** One request of planWriteRequests() as protobuf, written series by series (WriteRequestWriter): the bytes of buildWriteRequest()'s message. */
export function encodeWriteRequest(families: readonly (readonly ValidRecord[])[], toSeries: SeriesOf): { bytes: Uint8Array; series: number } {
  const writer = new WriteRequestWriter(families.reduce((sum, family) => sum + countRecordSeries(family), 0));
  const steps = expandEach(families, {
    family(name, type, help) {
      writer.metadata({ type: MetricTypeCode[type], metric_family_name: name, help });
    },
    sample(name, labels, value) {
      writer.timeSeries(toSeries(name, labels, value));
    },
  });
  while (!steps.next().done);
  return { bytes: writer.finish(), series: writer.series };
}

/**
 * Throws what building every request would throw, in the same order, without keeping a series: a write
 * builds its requests while it sends, and must refuse records that cannot be written before the first
 * request is. A label name repeated by the job or grouping (repeatedLabel) is the one fault seriesBuilder
 * finds; expandRecords' own refusals come from the expansion itself.
 */
export function checkWriteRequests(families: readonly (readonly ValidRecord[])[], target: PreviewTarget): void {
  checkGroupingKey(target.job, target.grouping);
  const added = new Set(['__name__']);
  if (target.job !== undefined) added.add('job');
  for (const [name, value] of Object.entries(target.grouping ?? {})) if (value !== '') added.add(name);
  const visitor: SampleVisitor = {
    family() {},
    sample(name, labels) {
      // seriesBuilder sorts the labels and names the first repeated one: so here, the least.
      let repeated: string | undefined;
      for (const label in labels) if (added.has(label) && labels[label] !== '' && (repeated === undefined || label < repeated)) repeated = label;
      if (repeated !== undefined) throw repeatedLabel(name, repeated);
    },
  };
  const steps = expandEach(families, visitor);
  while (!steps.next().done);
}

/** A series from a sample: its name, labels and value (seriesBuilder). */
export type SeriesOf = (name: string, labels: Labels, value: number) => TimeSeries;

/**
 * Builds one series: `__name__`, `job`, the grouping labels and the sample's labels, sorted by name as
 * the specification requires, empty values dropped (an empty label is an absent one, and the
 * specification forbids sending it).
 */
export function seriesBuilder(target: PreviewTarget): SeriesOf {
  checkGroupingKey(target.job, target.grouping);
  const common: Label[] = target.job === undefined ? [] : [{ name: 'job', value: target.job }];
  for (const [name, value] of Object.entries(target.grouping ?? {})) if (value !== '') common.push({ name, value });
  const { timestampMs } = target;
  return (name, labels, value) => {
    const list: Label[] = [{ name: '__name__', value: name }, ...common];
    for (const label in labels) {
      const labelValue = labels[label]!;
      if (labelValue !== '') list.push({ name: label, value: labelValue });
    }
    // Label names are ASCII, so comparing UTF-16 code units is comparing bytes: "Zone" sorts before "__name__".
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < list.length; i++) if (list[i]!.name === list[i - 1]!.name) throw repeatedLabel(name, list[i]!.name);
    // -0 as the text of the dry run and of a Pushgateway push spell it: 0 (a store would keep the sign bit).
    return { labels: list, samples: [{ value: value === 0 ? 0 : value, timestamp: timestampMs }] };
  };
}

/**
 * The specification forbids a label name twice in one series (Prometheus answers 500, which a retry
 * never mends). validate() refuses every way to get there; records validated for another job or
 * grouping than they are written with reach here.
 */
function repeatedLabel(series: string, label: string): DataError {
  return new DataError(`a series of ${series} would carry the label "${label}" twice (the job or a grouping label, and the record's own), which the remote-write specification forbids; nothing was written`);
}
