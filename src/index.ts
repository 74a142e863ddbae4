/**
 * simplepipe as a library: the public API, kept stable. Every name here is listed, with what it is for,
 * under "API reference" in docs/library.md (test/library/publicApi.test.ts holds the two lists equal);
 * anything else under src/ is internal and may change in any release.
 */

// The Python Simplepipe's calls, and pushing from a program's own process.
export {
  /** Pushes records or a metric file to a Pushgateway or a remote-write receiver: `parseAndPush`, `loadAndPush`, `startPeriodicPush`. */
  MetricCollector,
  /** The collector's settings: the gateway or `remoteWrite`, grouping, credentials, TLS, retries, logger. */
  type CollectorOptions,
  /** What a push returned: a `PushResult`, or a `RemoteWriteResult` with `remoteWrite` set. */
  type SinkResult,
} from './library/collector.js';
export {
  /** Pushes what `collect` returns every interval, and once more on `stop()` (made by `startPeriodicPush`). */
  PeriodicPusher,
  /** `startPeriodicPush`'s settings: job, interval, `collect`, `onError`, `handleSigterm`. */
  type PeriodicPushOptions,
} from './library/periodicPusher.js';
export {
  /** Pushes a file each time it changes, as `simplepipe watch` does, until `stop` aborts. */
  watchFile,
  /** `watchFile`'s settings: `runPipeline`'s, with the path, the interval and the stop signal. */
  type WatchOptions,
  /** What a watch did: pushes, invalid versions, failures, deletion. */
  type WatchSummary,
} from './watch/watcher.js';

// The CLI's whole push, and its first steps for callers that compose their own.
export {
  /** Reads, validates and sends an input as `simplepipe push` does. */
  runPipeline,
  /** `runPipeline`'s settings: the input, the sink (a gateway or `remoteWrite`) and its connection, `dryRun`, `verify`, limits. */
  type PipelineOptions,
  /** What `runPipeline` did: the sink's result, the series count, the text of a dry run. */
  type PipelineResult,
} from './pipeline.js';
export {
  /** Validates a loaded input, naming each problem where it was written (a line, a KFP entry, a `--metric`). */
  validateInput,
  /** `validateInput`, keeping the file's own `expect` beside the records. */
  validateInputDocument,
} from './check.js';
export {
  /** Reads any input form (a file, `-`, `s3://`, inline metrics) in any format into records, not yet validated. */
  loadInput,
  /** What `loadInput` reads: `input`, `format`, `namePrefix`, `metrics`, `maxInputBytes`, `s3`. */
  type InputSpec,
  /** What `loadInput` read: the document, its format and origin, and the problems found while reading. */
  type LoadedInput,
  /** An input format: `json`, `jsonl` or `kfp`. */
  type InputFormat,
} from './source/index.js';

// Records and their validation.
export type {
  /** One record of a metric file, as written. */
  MetricRecord,
  /** A whole metric file: an array of records, or the object form with file-wide labels and `expect`. */
  MetricFile,
  /** `gauge`, `counter`, `summary`, `histogram` or `info`. */
  MetricType,
  /** Label names to values. */
  Labels,
  /** A record `validate` accepted, its value normalised. */
  ValidRecord,
  /** What `validateDocument` returns: the valid records and the file's own `expect`. */
  ValidDocument,
} from './records.js';
export {
  /** Validates a parsed metric file (schema and semantic checks) and returns its records, or throws a `DataError` listing every problem. */
  validate,
  /** `validate`, keeping the file's own `expect` beside the records. */
  validateDocument,
  /** `validate`'s settings: the job and grouping the records are checked against, `strict`, `warn`. */
  type ValidateOptions,
} from './validate/index.js';

// Exposition text, and prom-client for callers that use it.
export {
  /** Validated records as Prometheus exposition text, the bytes a push sends. */
  renderExposition,
} from './convert/render.js';
export {
  /** Validated records as a fresh prom-client `Registry` (never the global one). */
  toRegistry,
} from './convert/toRegistry.js';
export {
  /** A prom-client registry's metrics as exposition text. */
  toExposition,
} from './convert/exposition.js';

// The Pushgateway.
export {
  /** PUTs (or POSTs) exposition text to a group of a Pushgateway, with retries. */
  pushToGateway,
  /** The same function as `pushToGateway`, by the name prom-client users know. */
  pushToGateway as push,
  /** Deletes a group from a Pushgateway. */
  deleteGroup,
  /** Where a push goes: `gateway`, `job`, `grouping`, and the connection (credentials, TLS, retry). */
  type GatewayOptions,
  /** `pushToGateway`'s settings: `GatewayOptions`, `method` and `verify`. */
  type PushOptions,
  /** What a push returned: `url`, `status`, `attempts`, `durationMs`. */
  type PushResult,
} from './sink/pushgateway/push.js';
export {
  /** Deletes a group the gateway holds, as `simplepipe delete` does (a missing group is a `MissingGroupError`). */
  deleteHeldGroup,
  /** `deleteHeldGroup`'s settings: `GatewayOptions` and `missingOk`. */
  type DeleteOptions,
  /** What `deleteHeldGroup` did. */
  type DeleteResult,
} from './sink/pushgateway/delete.js';
export {
  /** Deletes the groups older than their time to live, as `simplepipe prune` does. */
  pruneGroups,
  /** `pruneGroups`'s settings: gateway, jobs, `olderThanMs`, `dryRun`. */
  type PruneOptions,
  /** What `pruneGroups` found and deleted. */
  type PruneResult,
} from './sink/pushgateway/prune.js';
export {
  /** The name of the gauge a push writes its group's time to live in (`expect.ttl`), which `pruneGroups` reads. */
  GROUP_TTL_METRIC,
  /** The name of the gauge a push writes its group's push interval in (`expect.every`). */
  GROUP_EVERY_METRIC,
} from './sink/pushgateway/groupMetadata.js';

// Remote write.
export {
  /** Writes validated records to a Prometheus remote-write receiver. */
  remoteWrite,
  /** `remoteWrite`'s settings: the target and the connection. */
  type RemoteWriteOptions,
  /** Where a write goes: `url`, `tenant`, `timestampMs`, `maxSamplesPerRequest`. */
  type RemoteWriteTarget,
  /** What a write returned: `PushResult`'s fields, and `requests`, `series`, `timestampMs`. */
  type RemoteWriteResult,
} from './sink/remoteWrite/write.js';

// Alerting rules.
export {
  /** The alerting rules a file's `expect` asks for, as `simplepipe rules` makes them. */
  alertRules,
  /** One generated alerting rule. */
  type AlertRule,
  /** A group of generated rules. */
  type RuleGroup,
} from './generate/rules.js';
export {
  /** Rules as a file: a Prometheus rule file or a PrometheusRule. */
  renderRuleFile,
  /** `prometheus` (a rule file) or `prometheusrule` (the Operator's resource). */
  type RuleFormat,
} from './generate/ruleFile.js';

// What every call shares: errors, logging, connection settings.
export {
  /** The base class of every error the library throws: a stable `code`, the CLI's `exitCode`, `cause` and HTTP `status` where there are. */
  SimplepipeError,
  /** A call was made wrong (no input, options that conflict): exit 64. */
  UsageError,
  /** The input is invalid, or a server rejected it; `issues` lists every problem: exit 65. */
  DataError,
  /** The input does not exist: exit 66. */
  NoInputError,
  /** The input will not fit the memory this process may use: exit 71. */
  OutOfMemoryError,
  /** A fault that may pass (unreachable, timeout, 5xx, 429) after every retry: exit 75. */
  TemporaryError,
  /** Credentials were refused: exit 77. */
  PermissionError,
  /** The setup is wrong: an address, a TLS file, a redirect: exit 78. */
  ConfigError,
  /** Options that are wrong or do not fit together: `options` names them as passed, `problem` says what is wrong (a ConfigError, 78). */
  OptionError,
  /** A value is outside its `expect` (`gate`); `violations` lists them: exit 79. */
  ExpectationError,
  /** Stopped after a request was sent, before its answer: the push may have been stored: exit 143. */
  StoppedAfterSendingError,
  /** A group to delete is not held by the gateway: exit 66. */
  MissingGroupError,
  /** The exit codes, by name. */
  ExitCode,
  /** One problem of a `DataError`: a JSON pointer and a message. */
  type DataIssue,
  /** One value outside its `expect`, of an `ExpectationError`. */
  type ExpectationViolation,
} from './errors.js';
export type {
  /** What the library logs through: `debug`, `info`, `warn`, `error`, each with a message and fields. */
  Logger,
  /** The fields of a log line. */
  LogFields,
} from './log.js';
export type {
  /** Basic (`username`, `password`) or bearer (`token`) credentials. */
  GatewayCredentials,
} from './net/auth.js';
export type {
  /** `caFile`, `certFile`, `keyFile`, `insecureSkipVerify`. */
  TlsOptions,
} from './net/tls.js';
export type {
  /** `timeoutMs`, `retries`, `deadlineMs` and the backoff. */
  RetryPolicy,
} from './net/retry.js';
