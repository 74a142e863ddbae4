/** simplepipe as a library: the same pipeline the CLI runs, and its stages for callers that compose their own. */
export * from './errors.js';
export type { Labels, MetricDocument, MetricFile, MetricRecord, MetricType, SampleValue, ValidRecord } from './records.js';
export { MetricCollector, type CollectorOptions } from './library/collector.js';
export { PeriodicPusher, type PeriodicPushOptions } from './library/periodicPusher.js';
export { validate, type ValidateOptions } from './validate/index.js';
export { toRegistry } from './convert/toRegistry.js';
export { toExposition, EXPOSITION_CONTENT_TYPE } from './convert/exposition.js';
export { pushToGateway as push, pushToGateway, deleteGroup, type GatewayOptions, type PushOptions, type PushResult } from './push/push.js';
export { groupingPath } from './push/groupingKey.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './push/retry.js';
export { DEFAULT_GATEWAY } from './push/gateway.js';
export { runPipeline, validateInput, type PipelineOptions, type PipelineResult } from './pipeline.js';
export { loadInput, DEFAULT_MAX_INPUT_BYTES, type InputSpec, type LoadedInput } from './source/index.js';
export { parseInlineMetric, type InlineMetric, type InlineMetricType } from './source/inline.js';
export type { S3SourceOptions } from './source/s3.js';
export { noopLogger, type Logger, type LogFields } from './log.js';
export { resolveCredentials, readSecretFile, type GatewayCredentials, type CredentialSources } from './push/auth.js';
export type { TlsOptions } from './push/tls.js';
