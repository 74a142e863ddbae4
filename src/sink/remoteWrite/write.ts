import { ConfigError, SimplepipeError, TemporaryError } from '../../errors.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../../net/client.js';
import { redactUrl } from '../../net/redact.js';
import { noopLogger } from '../../log.js';
import type { Labels, ValidRecord } from '../../records.js';
import { loadEncoder } from './encode.js';
import type { WriteRequest } from './messages.js';
import { parseReceiverAddress, RECEIVER_RESPONSES, receiverHeaders } from './receiver.js';
import { buildWriteRequests, DEFAULT_MAX_SAMPLES_PER_REQUEST } from './timeseries.js';
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
 * is retried as the specification allows; all of them share one --deadline. A timestamp more than 10 minutes
 * ahead is refused before anything is sent (timestampProblem). Resending the same samples at the same
 * timestamp is accepted by every receiver; Prometheus keeps one copy, VictoriaMetrics each (docs/remote-write.md).
 */
export async function remoteWrite(records: readonly ValidRecord[], options: RemoteWriteOptions): Promise<RemoteWriteResult> {
  const address = parseReceiverAddress(options.url);
  const target = redactUrl(address.url);
  const allHeaders = receiverHeaders(options.tenant, options.headers);
  const timestampMs = options.timestampMs ?? Date.now();
  checkTimestamp(timestampMs, Date.now(), options.logger ?? noopLogger);
  const maxSamples = options.maxSamplesPerRequest ?? DEFAULT_MAX_SAMPLES_PER_REQUEST;
  if (!Number.isSafeInteger(maxSamples) || maxSamples < 1) throw new ConfigError(`maxSamplesPerRequest must be a whole number above zero, not ${maxSamples}`);
  const requests = await buildWriteRequests(records, { job: options.job, grouping: options.grouping, timestampMs }, maxSamples);
  const encode = await loadEncoder();
  const series = requests.reduce((sum, request) => sum + request.timeseries.length, 0);

  return withConnection(address, { ...options, headers: allHeaders }, async ({ context, headers }) => {
    const started = performance.now();
    let attempts = 0;
    let status = 0;
    let written = 0;
    for (const [index, request] of requests.entries()) {
      try {
        // The connection's one deadline (withConnection) bounds all requests: a late one gets what is left.
        if (context.policy.deadlineAt !== undefined && performance.now() >= context.policy.deadlineAt) {
          throw new TemporaryError(`the --deadline of ${context.policy.deadlineMs / 1000}s ran out`);
        }
        const body = encode(request);
        const reply = await sendWithRetries(
          { method: 'POST', url: address.url, target, headers, body, responses: RECEIVER_RESPONSES },
          context,
        );
        attempts += reply.attempts;
        status = reply.status;
        written += request.timeseries.length;
        context.logger.debug(`wrote request ${index + 1} of ${requests.length}`, { series: request.timeseries.length, bytes: body.byteLength, attempts: reply.attempts });
      } catch (error) {
        throw index === 0 ? error : partly(error, `wrote ${index} of ${requests.length} requests (${written} of ${series} series: ${writtenFamilies(requests.slice(0, index))}), then: `);
      }
    }
    return { url: target, status, requests: requests.length, series, timestampMs, attempts, durationMs: performance.now() - started };
  });
}

/** The families of the requests that went through, each whole (buildWriteRequests never splits one). */
function writtenFamilies(done: readonly WriteRequest[]): string {
  const names = done.flatMap((request) => request.metadata.map((family) => family.metric_family_name));
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
