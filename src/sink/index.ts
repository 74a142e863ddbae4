import type { ValidDocument } from '../records.js';
import { pushgatewaySink, type PushgatewayTarget } from './pushgateway/index.js';
import type { PushgatewayResult } from './pushgateway/index.js';
import { remoteWriteSink } from './remoteWrite/index.js';
import type { RemoteWriteResult, RemoteWriteTarget } from './remoteWrite/write.js';
import type { CheckingDocument, SendRun, SentResult, Sink, SinkChecks, SinkName, SinkPreview, SinkRun } from './types.js';

export type { CheckingDocument, SendRun, SentResult, Sink, SinkChecks, SinkName, SinkPreview, SinkRun } from './types.js';
export type { PushgatewayResult, PushgatewayTarget } from './pushgateway/index.js';

/** What a push came to, whichever the sink: both results have `url`, `status`, `attempts`, `durationMs` and `series`. */
export type SinkResult = PushgatewayResult | RemoteWriteResult;

/** Every sink, by name: a new one is a folder beside these and a line here. */
export const sinks = {
  pushgateway: pushgatewaySink,
  remoteWrite: remoteWriteSink,
} satisfies { [Name in SinkName]: Sink<SinkTargets[Name]> & { readonly name: Name } };

/** What each sink is told where to send: the Pushgateway's options, or a remote-write receiver. */
export interface SinkTargets {
  pushgateway: PushgatewayTarget;
  remoteWrite: RemoteWriteTarget;
}

/** A sink with its target bound: what a run calls, whichever sink it is. */
export interface ChosenSink {
  readonly name: SinkName;
  readonly checks: SinkChecks;
  preview(document: ValidDocument, run: SinkRun): Promise<SinkPreview>;
  send(document: CheckingDocument, run: SendRun): Promise<SentResult>;
  /** Absent where the sink has nothing to undo (see Sink.end). */
  end?: (run: SendRun) => Promise<SentResult>;
}

/**
 * The one place a run's sink is chosen: remote write when `remoteWrite` names a receiver, else the
 * Pushgateway at `gateway` with its own options.
 */
export function selectSink(options: Partial<PushgatewayTarget> & { remoteWrite?: RemoteWriteTarget }): ChosenSink {
  if (options.remoteWrite !== undefined) return bind(sinks.remoteWrite, options.remoteWrite);
  const { gateway, method, verify, ttl, tenantLabel, limits } = options;
  // Required by the types; a caller without types and without one learns it at the push (a dry run needs none).
  return bind(sinks.pushgateway, { gateway: gateway!, method, verify, ttl, tenantLabel, limits });
}

function bind<Target>(sink: Sink<Target>, target: Target): ChosenSink {
  const { end } = sink;
  return {
    name: sink.name,
    checks: sink.checks(target),
    preview: (document, run) => sink.preview(document, target, run),
    send: (document, run) => sink.send(document, target, run),
    ...(end === undefined ? {} : { end: (run: SendRun) => end.call(sink, target, run) }),
  };
}
