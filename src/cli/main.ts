import { CommanderError } from 'commander';
import { ExitCode, SimplepipeError } from '../errors.js';
import { createStreamLogger, redactingWriter, type Logger } from '../log.js';
import { resolveCredentials } from '../net/auth.js';
import { deleteGroup } from '../sink/pushgateway/push.js';
import { resolveGatewayAddress } from '../sink/pushgateway/gateway.js';
import { userinfoPasswordOf } from '../net/address.js';
import { runPipeline, validateInput } from '../pipeline.js';
import type { RetryPolicy } from '../net/retry.js';
import { loadInput, type InputSpec } from '../source/index.js';
import { buildProgram, type CommonFlags, type GatewayFlags, type InputFlags, type Invocation } from './program.js';
import { resolvePushTarget } from './pushTarget.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGTERM/SIGINT: the run ends promptly with exit 75. */
  signal?: AbortSignal;
}

/** Runs one command line and returns the exit code. The only place errors become exit codes. */
export async function main(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram(version, (parsed) => {
    invocation = parsed;
  });
  program.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.commands.forEach((command) => command.exitOverride());

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw error;
  }
  if (invocation === undefined) return ExitCode.usage;

  // Every secret the run learns goes in here, and the logger blanks each one from every line it writes.
  const secrets = new Set([io.env.AWS_SECRET_ACCESS_KEY, io.env.AWS_SESSION_TOKEN, io.env.PUSHGATEWAY_PASSWORD].filter(isSet));
  const logger = loggerFor(invocation.flags, { ...io, stderr: redactingWriter(io.stderr, secrets) });
  try {
    await execute(invocation, io, logger, secrets);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof SimplepipeError) {
      logger.error(error.message, { exit: error.exitCode });
      return error.exitCode;
    }
    logger.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 70; // EX_SOFTWARE: a bug in simplepipe, not in its input.
  }
}

async function execute(invocation: Invocation, io: CliIo, logger: Logger, secrets: Set<string>): Promise<void> {
  switch (invocation.command) {
    case 'push': {
      const { flags } = invocation;
      const target = resolvePushTarget(invocation.args, flags.job, (flags.metric ?? []).length > 0);
      const gateway = await gatewayOptions(flags, io, secrets);
      const result = await runPipeline({
        ...inputSpec(target.input, flags, io, logger, gateway.retry),
        ...gateway,
        job: target.job,
        labels: flags.label,
        method: flags.method === 'post' ? 'POST' : 'PUT',
        dryRun: flags.dryRun,
        verify: flags.verify,
        logger,
      });
      if (flags.dryRun) io.stdout(result.exposition);
      return;
    }
    case 'validate': {
      const { flags } = invocation;
      const input = await loadInput(inputSpec(invocation.input, flags, io, logger));
      const records = validateInput(input, { job: flags.job, grouping: flags.grouping, labels: flags.label });
      logger.info(`${input.origin} is valid`, { series: records.length });
      return;
    }
    case 'delete': {
      const result = await deleteGroup({ job: invocation.job, ...(await gatewayOptions(invocation.flags, io, secrets)), logger });
      logger.info(`deleted group ${result.url}`, { status: result.status, attempts: result.attempts });
      return;
    }
  }
}

/** The input flags as the source stage takes them; an S3 fetch follows the same --timeout/--retries/--deadline. */
function inputSpec(input: string | undefined, flags: InputFlags, io: CliIo, logger: Logger, retry?: Partial<RetryPolicy>): InputSpec {
  return {
    input,
    metrics: flags.metric,
    metricType: flags.metricType,
    maxInputBytes: flags.maxInputBytes,
    s3: { endpoint: flags.s3Endpoint, env: io.env, retry, signal: io.signal, logger },
  };
}

async function gatewayOptions(flags: GatewayFlags, io: CliIo, secrets: Set<string>) {
  const gateway = resolveGatewayAddress(flags.gateway, io.env);
  const userinfoPassword = userinfoPasswordOf(gateway, 'gateway');
  if (userinfoPassword) secrets.add(userinfoPassword);
  const credentials = await resolveCredentials({
    username: io.env.PUSHGATEWAY_USERNAME || undefined,
    password: io.env.PUSHGATEWAY_PASSWORD || undefined,
    passwordFile: flags.passwordFile,
    bearerTokenFile: flags.bearerTokenFile,
  });
  if (credentials) secrets.add(credentials.kind === 'basic' ? credentials.password : credentials.token);
  return {
    gateway,
    grouping: flags.grouping,
    credentials,
    tls: { caFile: flags.caFile, certFile: flags.certFile, keyFile: flags.keyFile, insecureSkipVerify: flags.insecureSkipVerify },
    retry: { timeoutMs: flags.timeout, retries: flags.retries, deadlineMs: flags.deadline },
    signal: io.signal,
  };
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

function loggerFor(flags: CommonFlags, io: CliIo): Logger {
  return createStreamLogger(io.stderr, { level: flags.verbose ? 'debug' : 'info', format: flags.logFormat });
}
