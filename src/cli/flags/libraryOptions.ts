import { OptionError, UsageError, type SimplepipeError } from '../../errors.js';

/**
 * The flag (or argument) that sets each library option a library error may name. Options not listed are
 * named as the library names them (`input`, the <file> argument, reads the same either way).
 */
const FLAG_OF: Readonly<Record<string, string>> = {
  metrics: '--metric',
  format: '--format',
  namePrefix: '--name-prefix',
  namespace: '--namespace',
  runLabels: '--run-label',
  path: '<file>',
  job: '<job>',
  maxInputBytes: '--max-input-bytes',
  strict: '--strict',
  grouping: '--grouping',
  labels: '--label',
  tenantLabel: '--tenant-label',
  'limits.labelsPerSeries': '--max-labels-per-series',
  'limits.labelValueBytes': '--max-label-value-bytes',
  'limits.seriesBytes': '--max-series-bytes',
  'limits.series': '--max-series',
  headers: '--header',
  gateway: '--gateway',
  verify: '--verify',
  missingOk: '--missing-ok',
  'tls.caFile': '--ca-file',
  'tls.certFile': '--cert-file',
  'tls.keyFile': '--key-file',
  'tls.insecureSkipVerify': '--insecure-skip-verify',
  passwordFile: '--password-file',
  credentials: 'the *_PASSWORD variable or --password-file (see --help)',
  bearerTokenFile: '--bearer-token-file',
  'retry.retries': '--retries',
  'retry.deadlineMs': '--deadline',
  'remoteWrite.url': '--remote-write',
  'remoteWrite.tenant': '--tenant',
  'remoteWrite.timestampMs': '--timestamp',
  'remoteWrite.maxSamplesPerRequest': '--max-samples-per-request',
  'gate.baselineFrom': '--baseline-from',
};

/** The flag that sets a library option, or the option's own name when no flag sets it. */
export function flagOf(option: string): string {
  return Object.hasOwn(FLAG_OF, option) ? FLAG_OF[option]! : option;
}

/** A library's OptionError as the command line caused it: a usage error (64) naming the flags. */
export function usageErrorOf(error: OptionError): UsageError {
  return new UsageError(error.messageNaming(flagOf));
}

/** A library error's message as a command line's user reads it: each option it names, by its flag. */
export function messageForCommandLine(error: SimplepipeError): string {
  return error.messageNaming(flagOf);
}
