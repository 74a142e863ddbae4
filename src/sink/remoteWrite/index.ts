import type { Sink } from '../types.js';
import { countRecordSeries } from '../../convert/series.js';
import { writeTextPieces } from './text.js';
import { checkTimestamp } from './timestamp.js';
import { remoteWrite, type RemoteWriteResult, type RemoteWriteTarget } from './write.js';

/**
 * Remote write: no Pushgateway is contacted; `job` and the grouping labels go on every series, each with
 * one sample at the run's timestamp (default: now, read once).
 */
export const remoteWriteSink = {
  name: 'remoteWrite',

  // A receiver has no group to stamp and no limits of a Pushgateway's.
  checks: () => ({}),

  async preview(document, target, run) {
    const timestampMs = target.timestampMs ?? Date.now();
    // A write checks its own timestamp (remoteWrite); a dry run refuses and warns alike.
    checkTimestamp(timestampMs, Date.now(), run.logger);
    return { pieces: writeTextPieces(document.records, { job: run.job, grouping: run.grouping, timestampMs }), series: countRecordSeries(document.records) };
  },

  async send(document, target, run) {
    // Requests written cannot be taken back: the first is sent only once the whole input has passed.
    const { records } = await document.whole;
    const write = await remoteWrite(records, { ...run, ...target, timestampMs: target.timestampMs ?? Date.now() });
    run.logger.info(`wrote ${write.series} series to ${write.url}`, {
      requests: write.requests,
      timestamp_ms: write.timestampMs,
      status: write.status,
      attempts: write.attempts,
      ms: Math.round(write.durationMs),
    });
    return write;
  },
} as const satisfies Sink<RemoteWriteTarget, RemoteWriteResult>;
