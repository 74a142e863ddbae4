import { ConfigError, DataError } from '../errors.js';
import { baselineQuery } from '../generate/history.js';
import { historySeries } from '../generate/historyAlerts.js';
import type { RuleTarget } from '../generate/selector.js';
import { noopLogger } from '../log.js';
import { parseHttpAddress } from '../net/address.js';
import { sendWithRetries, withConnection, type ConnectionOptions } from '../net/client.js';
import type { ResponsePolicy } from '../net/response.js';
import type { ValidRecord } from '../records.js';
import type { Baselines } from './violations.js';

const PROMETHEUS_RESPONSES: ResponsePolicy = {
  server: 'Prometheus',
  addressFlag: '--baseline-from',
  action: 'baseline query',
  succeeded: (status) => status === 200,
  retryable: (status) => status === 429 || status === 503 || status >= 500,
  final: (status, reason, target) =>
    status === 404 ? new ConfigError(`no Prometheus query API at ${target} (HTTP 404): --baseline-from takes Prometheus's base URL, e.g. http://prometheus:9090`) : undefined,
};

/**
 * The baseline of every record with an `expect.history`, asked of Prometheus (or any server of its query
 * API) before the push: every run it holds is then a past one, so none is left out. A record without a
 * run in its window has none.
 */
export async function queryBaselines(
  records: readonly ValidRecord[],
  target: RuleTarget,
  prometheus: string,
  connection: ConnectionOptions = {},
): Promise<Baselines> {
  const watched = records.filter((record) => record.expect?.history !== undefined);
  const baselines = new Map<ValidRecord, number>();
  if (watched.length === 0) return baselines;
  const address = parseHttpAddress(prometheus, { what: 'Prometheus' });
  const logger = connection.logger ?? noopLogger;
  await withConnection(address, connection, async ({ context, headers }) => {
    for (const record of watched) {
      const query = baselineQuery(historySeries(record, target), { window: record.expect!.history!.window, excludeCurrentRun: false });
      const url = new URL('api/v1/query', address.url.href.endsWith('/') ? address.url : `${address.url.href}/`);
      url.searchParams.set('query', query);
      const reply = await sendWithRetries({ method: 'GET', url, target: url.origin + url.pathname, headers, responses: PROMETHEUS_RESPONSES }, context);
      const value = firstValue(reply.body, url.origin + url.pathname);
      logger.info(value === undefined ? `${record.name}: no run in its history window yet, no baseline` : `${record.name}: baseline ${value}`, {
        window: record.expect!.history!.window,
      });
      if (value !== undefined) baselines.set(record, value);
    }
  });
  return baselines;
}

/** The value of the first sample of an instant query's vector; undefined for an empty one. */
function firstValue(body: string, target: string): number | undefined {
  let parsed: { status?: string; data?: { resultType?: string; result?: { value?: [number, string] }[] } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new ConfigError(`${target} did not answer with Prometheus's JSON: is --baseline-from a Prometheus?`);
  }
  if (parsed.status !== 'success' || parsed.data?.resultType !== 'vector') throw new DataError(`${target} refused the baseline query: ${body.slice(0, 200)}`);
  const sample = parsed.data.result?.[0]?.value;
  return sample === undefined ? undefined : Number(sample[1]);
}
