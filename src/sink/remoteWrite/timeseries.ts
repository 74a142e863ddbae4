import { groupByName } from '../../convert/families.js';
import { countRecordSeries, expandEach, type SampleVisitor } from '../../convert/series.js';
import { DataError } from '../../errors.js';
import type { Labels, ValidRecord } from '../../records.js';
import { checkGroupingKey } from '../../validate/groupingKey.js';
import { MetricTypeCode, type Label, type TimeSeries, type WriteRequest } from './messages.js';

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
  const requests: WriteRequest[] = [];
  let current: WriteRequest = { timeseries: [], metadata: [] };
  const toSeries = seriesBuilder(target);
  const families = groupByName(records);
  const visitor: SampleVisitor = {
    family(name, type, help) {
      current.metadata.push({ type: MetricTypeCode[type], metric_family_name: name, help });
    },
    sample(name, labels, value) {
      current.timeseries.push(toSeries(name, labels, value));
    },
  };
  for (const family of families) {
    const samples = countRecordSeries(family);
    if (current.timeseries.length > 0 && current.timeseries.length + samples > maxSamplesPerRequest) {
      requests.push(current);
      current = { timeseries: [], metadata: [] };
    }
    const steps = expandEach([family], visitor);
    while (!steps.next().done);
  }
  if (current.timeseries.length > 0) requests.push(current);
  return requests;
}

/**
 * Builds one series: `__name__`, `job`, the grouping labels and the sample's labels, sorted by name as
 * the specification requires, empty values dropped (an empty label is an absent one, and the
 * specification forbids sending it).
 */
export function seriesBuilder(target: PreviewTarget): (name: string, labels: Labels, value: number) => TimeSeries {
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
