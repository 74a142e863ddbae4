/**
 * One error hierarchy for the whole tool. Each class carries the sysexits code the CLI exits with,
 * and a stable `code` so callers branch on codes, never on message text.
 *
 * 79, a value outside its `expect` (--gate), is no sysexits code: it is the first after them (64-78 each
 * mean something else), below the shell's 126-165 and clear of Node's own 1-14, and Argo's
 * retryStrategy, retrying 75 only, lets it stop the workflow.
 */
export const ExitCode = {
  ok: 0,
  usage: 64,
  dataError: 65,
  noInput: 66,
  tempFail: 75,
  noPerm: 77,
  config: 78,
  expectationFailed: 79,
  /** EX_OSERR: the input needs more memory than the container or V8's heap allows. */
  outOfMemory: 71,
  /** 128 + SIGTERM: stopped after a request's whole body was sent, before its answer; it may have been stored. */
  stoppedAfterSending: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What an error was made from, besides its message. */
export interface ErrorDetails {
  /** The error this one wraps: a system error (its `code`, e.g. ECONNREFUSED), a TLS or file error. */
  cause?: unknown;
  /** The HTTP status of the server's answer the error was made from, when there was an answer. */
  status?: number;
}

/** Names an option in a message: the library's own name (`tls.caFile`), or a command line's flag for it. */
export type OptionNamer = (option: string) => string;

/**
 * A message that names options, written once for every way of naming them: the library's caller reads
 * `tls.caFile`, the command line's user `--ca-file`, and neither wording is a rewrite of the other's text.
 */
export type OptionMessage = (name: OptionNamer) => string;

export abstract class SimplepipeError extends Error {
  /** Stable, for callers to branch on (`SIMPLEPIPE_DATA`, …); never the message text. */
  abstract readonly code: string;
  /** The exit code the CLI ends with on this error. */
  abstract readonly exitCode: ExitCode;
  /** The HTTP status of the answer this error was made from (a gateway's or receiver's), when there was one. */
  declare readonly status?: number;
  /** The options (as the library names them) this message names, in order; empty for most errors. */
  readonly options: readonly string[];
  readonly #named: OptionMessage | undefined;

  constructor(message: string | OptionMessage, details: ErrorDetails = {}) {
    const named: string[] = [];
    super(
      typeof message === 'string'
        ? message
        : message((option) => {
            if (!named.includes(option)) named.push(option);
            return option;
          }),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    if (details.status !== undefined) this.status = details.status;
    this.options = named;
    this.#named = typeof message === 'string' ? undefined : message;
  }

  /**
   * The message with each option it names called by `name` (a command line's flags). What was put
   * around the message after it was thrown (a request's number) is kept: only the part the error wrote
   * is written again.
   */
  messageNaming(name: OptionNamer): string {
    if (this.#named === undefined) return this.message;
    const own = this.#named((option) => option);
    return this.message.includes(own) ? this.message.replace(own, () => this.#named!(name)) : this.message;
  }
}

/** The command line itself is wrong: unknown flag, missing argument. */
export class UsageError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_USAGE';
  readonly exitCode = ExitCode.usage;
  override name = 'UsageError';
}

/** One problem found in the input, located by a JSON pointer into the file. */
export interface DataIssue {
  /** JSON pointer, e.g. `/3/labels/env`; empty for the document itself. */
  pointer: string;
  message: string;
}

/**
 * The input (or the gateway's verdict on it) is invalid. Lists every issue found, not just the first:
 * the message is the one-line `summary`, then one line per issue.
 */
export class DataError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_DATA';
  readonly exitCode = ExitCode.dataError;
  override name = 'DataError';
  readonly summary: string;
  readonly issues: readonly DataIssue[];
  /** The input has more problems than `issues` lists: the search stopped at a limit. */
  readonly truncated: boolean;
  readonly #summary: string | OptionMessage;
  constructor(summary: string | OptionMessage, issues: readonly DataIssue[] = [], options: { truncated?: boolean } & ErrorDetails = {}) {
    super(typeof summary === 'string' ? joinIssues(summary, issues) : (name) => joinIssues(summary(name), issues), options);
    this.summary = typeof summary === 'string' ? summary : summary((option) => option);
    this.#summary = summary;
    this.issues = issues;
    this.truncated = options.truncated ?? false;
  }

  /** The summary with each option it names called by `name`, as messageNaming does for the whole message. */
  summaryNaming(name: OptionNamer): string {
    return typeof this.#summary === 'string' ? this.#summary : this.#summary(name);
  }

  /** The same problems, the summary rewritten ("…; nothing was pushed"), still naming options as the summary did. */
  withSummary(rewrite: (summary: string) => string): DataError {
    const summary = this.#summary;
    const rewritten = typeof summary === 'string' ? rewrite(summary) : (name: OptionNamer) => rewrite(summary(name));
    return new DataError(rewritten, this.issues, { truncated: this.truncated, cause: this.cause, status: this.status });
  }
}

function joinIssues(summary: string, issues: readonly DataIssue[]): string {
  return issues.length === 0 ? summary : `${summary}:\n${formatIssues(issues)}`;
}

/** "1 problem", "3 problems". */
export function countProblems(count: number): string {
  return count === 1 ? '1 problem' : `${count} problems`;
}

/** The input file, stdin or S3 object does not exist. */
export class NoInputError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_NO_INPUT';
  readonly exitCode = ExitCode.noInput;
  override name = 'NoInputError';
}

/** A fault that may pass: unreachable gateway, timeout, 5xx, 429 — after all retries. */
export class TemporaryError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_TEMPORARY';
  readonly exitCode = ExitCode.tempFail;
  override name = 'TemporaryError';
}

/**
 * Stopped (SIGTERM, SIGINT) after the whole body was sent and before the server answered: the push may
 * have been stored. Not 75, so that Argo does not retry on a guess; the group says what happened.
 */
export class StoppedAfterSendingError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_STOPPED_AFTER_SENDING';
  readonly exitCode = ExitCode.stoppedAfterSending;
  override name = 'StoppedAfterSendingError';
}

/** The input will not fit the memory this process may use: refused before it is read, or stopped before it is sent. */
export class OutOfMemoryError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_OUT_OF_MEMORY';
  readonly exitCode = ExitCode.outOfMemory;
  override name = 'OutOfMemoryError';
}

/** Credentials were refused (HTTP 401/403, S3 AccessDenied). */
export class PermissionError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_PERMISSION';
  readonly exitCode = ExitCode.noPerm;
  override name = 'PermissionError';
}

/** The tool is set up wrong: bad gateway URL, unreadable CA file, a redirect or 404 from the gateway. */
export class ConfigError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_CONFIG';
  readonly exitCode = ExitCode.config;
  override name = 'ConfigError';
}

/**
 * Options that are wrong, or do not fit together (a name prefix for a file that is not KFP's, an empty
 * namespace): `options` names them as the library knows them (`namePrefix`), `problem` says what is wrong.
 * The message is the two together; a command line names its flags instead (and exits 64: the command is wrong).
 */
export class OptionError extends ConfigError {
  override name = 'OptionError';
  readonly problem: string;
  constructor(options: readonly string[], problem: string) {
    super((name) => `${options.map(name).join(' and ')} ${problem}`);
    this.problem = problem;
  }
}

/** One pushed value outside its `expect`: the series, its value, and the bound it broke, in words. */
export interface ExpectationViolation {
  metric: string;
  labels: Record<string, string>;
  value: number;
  /** "expected at least 0.9 (min)", "-12.1% against its baseline 0.91 …, expected at most 5% below (history.maxDrop)". */
  bound: string;
}

/**
 * A value is outside what its record's `expect` allows (--gate). Raised only after the values were sent,
 * so dashboards show the bad run; the workflow stops before its next step.
 */
export class ExpectationError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_EXPECTATION';
  readonly exitCode = ExitCode.expectationFailed;
  override name = 'ExpectationError';
  readonly violations: readonly ExpectationViolation[];
  constructor(summary: string, violations: readonly ExpectationViolation[]) {
    super(`${summary}:\n${violations.map((v) => `  ${formatSeries(v.metric, v.labels)} ${v.value}: ${v.bound}`).join('\n')}`);
    this.violations = violations;
  }
}

/** `name{a="1",b="2"}` as Prometheus writes a series, or the bare name. */
export function formatSeries(metric: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return pairs.length === 0 ? metric : `${metric}{${pairs.join(',')}}`;
}

export function formatIssues(issues: readonly DataIssue[]): string {
  return issues.map((issue) => `  ${issue.pointer || '/'}: ${issue.message}`).join('\n');
}

const fileErrors: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'a directory, not a file',
};

/** The reason a file cannot be read, in words; the system's code stays beside it for searching. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return String(error);
  return Object.hasOwn(fileErrors, code) ? `${fileErrors[code]} (${code})` : code;
}

/** `delete` named a group the gateway does not hold (a typo, or deleted already): exit 66, unless --missing-ok. */
export class MissingGroupError extends SimplepipeError {
  readonly code = 'SIMPLEPIPE_NO_GROUP';
  readonly exitCode = ExitCode.noInput;
  override name = 'MissingGroupError';
}
