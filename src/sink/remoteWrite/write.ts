import { ConfigError, SimplepipeError, TemporaryError } from '../../errors.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import { noopLogger } from '../../log.js';
import type { Labels, ValidRecord } from '../../records.js';
import { loadCompressor } from './encode.js';
import { parseReceiverAddress, RECEIVER_RESPONSES, receiverHeaders } from './receiver.js';
import { groupByName } from '../../convert/families.js';
import { countRecordSeries } from '../../convert/series.js';
import { checkWriteRequests, encodeWriteRequest, DEFAULT_MAX_SAMPLES_PER_REQUEST, planWriteRequests, seriesBuilder } from './timeseries.js';
import { checkTimestamp } from './timestamp.js';

/** Where and how a run is written by remote write instead of pushed to a Pushgateway. */
export interface RemoteWriteTarget {
  /** The receiver's endpoint: `…/api/v1/write` (Prometheus), `…/api/v1/push` (Mimir, Cortex); may carry userinfo. */
  url: string;
  /** Sent as X-Scope-OrgID, the tenant header of Mimir, Cortex and Loki-style stores. */
  tenant?: string;
  /** The timestamp of every sample, in ms since the Unix epoch; default: now, read once for the whole run. At most 10 minutes ahead. */
  timestampMs?: number;
  /** Samples per request at most (default 500, as Prometheus's own queue). */
  maxSamplesPerRequest?: number;
}

export interface RemoteWriteOptions extends ConnectionOptions, RemoteWriteTarget {
  /** The `job` label of every series. */
  job: string;
  /** Further labels on every series, as a Pushgateway grouping key would add them. */
  grouping?: Labels;
}

export interface RemoteWriteResult {
  /** The receiver's URL, credentials redacted. */
  url: string;
  /** Status of the last request. */
  status: number;
  requests: number;
  series: number;
  timestampMs: number;
  /** Attempts over all requests: equal to `requests` when none was retried. */
  attempts: number;
  durationMs: number;
}

/**
 * Writes validated records to a remote-write receiver: every series with one sample at the run's
 * timestamp, in requests of at most `maxSamplesPerRequest` samples, sent one after another. Each request
 * is retried as the specification allows; all of them share one deadline (`retry.deadlineMs`, a command
 * line's --deadline). A timestamp more than 10 minutes ahead is refused before anything is sent
 * (timestampProblem). Resending the same samples at the same timestamp is accepted by every receiver;
 * Prometheus keeps one copy, VictoriaMetrics each (docs/remote-write.md).
 *
 * A request is built and encoded while the one before it is on the wire and the receiver stores it, and
 * dropped once sent: the receiver's work overlaps the app's, and no more than two requests are held.
 * What could refuse a request is checked for all of them before the first is sent (checkWriteRequests).
 */
export async function remoteWrite(records: readonly ValidRecord[], options: RemoteWriteOptions): Promise<RemoteWriteResult> {
  const address = parseReceiverAddress(options.url);
  const target = redactUrl(address.url);
  const allHeaders = receiverHeaders(options.tenant, options.headers);
  const timestampMs = options.timestampMs ?? Date.now();
  checkTimestamp(timestampMs, Date.now(), options.logger ?? noopLogger);
  const maxSamples = options.maxSamplesPerRequest ?? DEFAULT_MAX_SAMPLES_PER_REQUEST;
  if (!Number.isSafeInteger(maxSamples) || maxSamples < 1) throw new ConfigError(`maxSamplesPerRequest must be a whole number above zero, not ${maxSamples}`);
  const seriesTarget = { job: options.job, grouping: options.grouping, timestampMs };
  const families = groupByName(records);
  checkWriteRequests(families, seriesTarget);
  const plan = planWriteRequests(families, maxSamples);
  const toSeries = seriesBuilder(seriesTarget);
  const compress = await loadCompressor();
  const series = countRecordSeries(records);
  const encoded = (index: number): { body: Uint8Array; series: number } => {
    const request = encodeWriteRequest(plan[index]!, toSeries);
    return { body: compress(request.bytes), series: request.series };
  };

  return withConnection(address, { ...options, headers: allHeaders }, async ({ context, headers }) => {
    const started = performance.now();
    let attempts = 0;
    let status = 0;
    let written = 0;
    let next = plan.length > 0 ? encoded(0) : undefined;
    for (let index = 0; index < plan.length; index++) {
      const { body, series: requestSeries } = next!;
      try {
        // The connection's one deadline (withConnection) bounds all requests: a late one gets what is left.
        if (context.policy.deadlineAt !== undefined && performance.now() >= context.policy.deadlineAt) {
          throw new TemporaryError((name) => `the ${name('retry.deadlineMs')} of ${context.policy.deadlineMs / 1000}s ran out`);
        }
        const sending = sendWithRetries({ method: 'POST', url: address.url, target, headers, body, responses: RECEIVER_RESPONSES }, context);
        // Handled when awaited below; until then a failure must not count as unhandled.
        sending.catch(() => {});
        if (index + 1 < plan.length) {
          // The request goes out first, then the next one is encoded while the receiver works.
          await new Promise((resolve) => setImmediate(resolve));
          next = encoded(index + 1);
        }
        const reply = await sending;
        attempts += reply.attempts;
        status = reply.status;
        written += requestSeries;
        context.logger.debug(`wrote request ${index + 1} of ${plan.length}`, { series: requestSeries, bytes: body.byteLength, attempts: reply.attempts });
      } catch (error) {
        throw index === 0 ? error : partly(error, `wrote ${index} of ${plan.length} requests (${written} of ${series} series: ${writtenFamilies(plan.slice(0, index))}), then: `);
      }
    }
    return { url: target, status, requests: plan.length, series, timestampMs, attempts, durationMs: performance.now() - started };
  });
}

/** The families of the requests that went through, each whole (planWriteRequests never splits one). */
function writtenFamilies(done: readonly (readonly (readonly ValidRecord[])[])[]): string {
  const names = done.flatMap((request) => request.map((family) => family[0]!.name));
  const shown = names.slice(0, MAX_NAMED_FAMILIES).join(', ');
  const more = names.length > MAX_NAMED_FAMILIES ? ` and ${names.length - MAX_NAMED_FAMILIES} more` : '';
  return `${names.length === 1 ? 'the family' : `the ${names.length} families`} ${shown}${more}, each whole; none of the others`;
}

/** A message names this many families written at most: a run of 10,000 families should not print them all. */
const MAX_NAMED_FAMILIES = 20;

/** A failure after some requests went through says how far the write got: those series are stored. */
function partly(error: unknown, prefix: string): unknown {
  if (error instanceof SimplepipeError) error.message = `${prefix}${error.message}`;
  return error;
}
