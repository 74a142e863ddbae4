import type { PushLimits } from '../limits.js';
import type { Logger } from '../log.js';
import type { ConnectionOptions } from '../net/client.js';
import type { Labels, ValidDocument, ValidRecord } from '../records.js';

/**
 * The sink contract: where validated records go. Each sink is a folder of its own (`pushgateway/`,
 * `remoteWrite/`) whose `index.ts` adapts its functions to this interface; `sinks` (index.ts) collects
 * them, and `selectSink` is the one place a run's sink is chosen. A third sink is one folder and one line there.
 */
export type SinkName = 'pushgateway' | 'remoteWrite';

/** What a run tells any sink besides its own target. */
export interface SinkRun {
  /** The job: a Pushgateway group's first key, a remote-write series' `job` label. A dry run may have none yet. */
  job?: string;
  /** Labels after `job`: a Pushgateway grouping key, or labels on every remote-write series. */
  grouping?: Labels;
  logger: Logger;
}

/** A send: the run, with its job, and how to reach the server (credentials, TLS, retries within the run's deadline). */
export interface SendRun extends ConnectionOptions, SinkRun {
  job: string;
  logger: Logger;
}

/**
 * An input as a sink is given it: being validated while it is sent. A sink that streams may send each
 * family once its records are checked (`families`), and must not end what it sends before `whole` has
 * resolved; one that cannot undo a part sent (remote write) waits for `whole` before its first request.
 */
export interface CheckingDocument {
  /** The validated document, once every check has passed; rejects with the refusal (a DataError listing every problem). */
  readonly whole: Promise<ValidDocument>;
  /**
   * Resolves once a family can be sent (or the whole input has passed), rejects with the refusal if none
   * can: a sink opens no request for an input refused before any family of it was ready.
   */
  readonly ready: Promise<void>;
  /**
   * The families (records of one name, in input order), each once its last record is checked, in batches of
   * those ready together, in the order of their first records; ends once `whole` resolves, and throws its
   * refusal. Each call starts again from the first family (a retried request sends the body again).
   */
  families(): AsyncIterable<readonly (readonly ValidRecord[])[]>;
}

/** What `--dry-run` prints: what the sink would be sent, as text in pieces made as they are read, and the series in it. */
export interface SinkPreview {
  /** Joined, the whole text; each piece ends in a line feed. Made afresh on each iteration, none kept. */
  pieces: Iterable<string>;
  series: number;
}

/** What a send came to, whichever the sink. */
export interface SentResult {
  /** The URL sent to, credentials redacted. */
  url: string;
  /** The status of the (last) request. */
  status: number;
  /** Attempts over all requests: more than the requests when some were retried. */
  attempts: number;
  durationMs: number;
  /** The series sent, as Prometheus counts them: a histogram's buckets, `_sum` and `_count` each. */
  series: number;
}

/** What a sink adds to the validation of a push: a Pushgateway's tenancy stamp and limits; nothing for a receiver. */
export interface SinkChecks {
  tenantLabel?: string;
  limits?: PushLimits;
}

/**
 * One sink, over its own `Target` (where it sends and how: a gateway and --method, a receiver and its tenant).
 * Records reach it validated (`check.ts`), with `checks(target)` applied; it neither reads nor validates.
 */
export interface Sink<Target, Result extends SentResult = SentResult> {
  readonly name: SinkName;
  /** The validation a push to this target needs beyond the records' own (validateInput's options). */
  checks(target: Target): SinkChecks;
  /** What a send would send, sending nothing (--dry-run). */
  preview(document: ValidDocument, target: Target, run: SinkRun): Promise<SinkPreview>;
  /**
   * Sends the records, as they are checked where the sink can (see CheckingDocument); a problem found
   * before the first request, or before the end of a streamed one, says that nothing was sent.
   */
  send(document: CheckingDocument, target: Target, run: SendRun): Promise<Result>;
  /**
   * Undoes what the sends left, for a caller that stops for good (watch --delete-on-exit): a Pushgateway
   * deletes the group. Absent where nothing can be undone: remote-written samples stay.
   */
  end?(target: Target, run: SendRun): Promise<SentResult>;
}
