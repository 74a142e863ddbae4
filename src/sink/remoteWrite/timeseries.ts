import { expandRecords } from '../../convert/series.js';
import type { Labels, ValidRecord } from '../../records.js';
import { checkGroupingKey } from '../../validate/groupingKey.js';
import { MetricTypeCode, type Label, type MetricMetadata, type TimeSeries, type WriteRequest } from './messages.js';

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
 * The series a scrape of the records' exposition would store, one sample each at `timestampMs`, split into
 * requests of at most `maxSamplesPerRequest` samples. Each request carries the metadata (type, HELP) of
 * every family it holds samples of, so any one of them is complete on its own.
 */
export async function buildWriteRequests(
  records: readonly ValidRecord[],
  target: SeriesTarget,
  maxSamplesPerRequest = DEFAULT_MAX_SAMPLES_PER_REQUEST,
): Promise<WriteRequest[]> {
  const requests: WriteRequest[] = [];
  let current: WriteRequest = { timeseries: [], metadata: [] };
  let family: MetricMetadata | undefined;
  let familyIn: WriteRequest | undefined;
  const toSeries = seriesBuilder(target);
  expandRecords(records, {
    family(name, type, help) {
      family = { type: MetricTypeCode[type], metric_family_name: name, help };
      familyIn = undefined;
    },
    sample(name, labels, value) {
      if (current.timeseries.length === maxSamplesPerRequest) {
        requests.push(current);
        current = { timeseries: [], metadata: [] };
      }
      if (familyIn !== current) {
        current.metadata.push(family!);
        familyIn = current;
      }
      current.timeseries.push(toSeries(name, labels, value));
    },
  });
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
    return { labels: list, samples: [{ value, timestamp: timestampMs }] };
  };
}
