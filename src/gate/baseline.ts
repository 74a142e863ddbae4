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
  addressOption: 'gate.baselineFrom',
  action: 'baseline query',
  succeeded: (status) => status === 200,
  retryable: (status) => status === 429 || status === 503 || status >= 500,
  final: (status, reason, target) =>
    status === 404
      ? new ConfigError((name) => `no Prometheus query API at ${target} (HTTP 404): ${name('gate.baselineFrom')} takes Prometheus's base URL, e.g. http://prometheus:9090`)
      : undefined,
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
      const values = vectorValues(reply.body, url.origin + url.pathname);
      // Several: the same job and grouping key in several namespaces (no --namespace matcher here); the first is taken.
      if (values.length > 1) logger.warn(`${record.name}: ${values.length} series answer the baseline query (the same group in several namespaces?); the first is used`);
      const value = values[0];
      logger.info(value === undefined ? `${record.name}: no run in its history window yet, no baseline` : `${record.name}: baseline ${value}`, {
        window: record.expect!.history!.window,
      });
      if (value !== undefined) baselines.set(record, value);
    }
  });
  return baselines;
}

/** The values of an instant query's vector, in the order Prometheus gives them. */
function vectorValues(body: string, target: string): number[] {
  let parsed: { status?: string; data?: { resultType?: string; result?: { value?: [number, string] }[] } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new ConfigError((name) => `${target} did not answer with Prometheus's JSON: is ${name('gate.baselineFrom')} a Prometheus?`);
  }
  if (parsed.status !== 'success' || parsed.data?.resultType !== 'vector') throw new DataError(`${target} refused the baseline query: ${body.slice(0, 200)}`);
  return (parsed.data.result ?? []).flatMap((sample) => (sample.value === undefined ? [] : [Number(sample.value[1])]));
}
