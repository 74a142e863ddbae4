import type { Command } from 'commander';
import { credentialSecrets, resolveCredentials } from '../../net/auth.js';
import { DEFAULT_RETRY_POLICY } from '../../net/retry.js';
import type { SinkName } from '../../sink/types.js';
import type { RunContext } from '../context.js';
import type { CommonFlags } from './common.js';
import { CREDENTIAL_VARIABLES, headerSecrets, warnOfNodeDebug } from './secrets.js';
import { collectHeader, countArgument, durationOption } from './values.js';

/**
 * Flags that set up the HTTP client, whichever server it talks to (a Pushgateway, a remote-write receiver):
 * TLS, credentials (passwords and tokens come only from files or env), and the retry policy.
 */
export interface ClientFlags extends CommonFlags {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
  passwordFile?: string;
  bearerTokenFile?: string;
  timeout: number;
  retries: number;
  deadline: number;
}

export function addClientOptions(command: Command): Command {
  return command
    .addOption(durationOption('--timeout <duration>', 'time allowed for one attempt (500ms, 2s, 1m, 1h or seconds)', DEFAULT_RETRY_POLICY.timeoutMs))
    .option('--retries <n>', 'retries after the first attempt on a temporary failure', countArgument, DEFAULT_RETRY_POLICY.retries)
    .addOption(durationOption('--deadline <duration>', 'overall time for the whole run (s3:// fetch, push, --verify) on one clock, all attempts included', DEFAULT_RETRY_POLICY.deadlineMs))
    .option('--ca-file <path>', 'PEM file of the CA(s) that signed the server’s certificate (the gateway’s or the receiver’s)')
    .option('--cert-file <path>', 'client certificate (PEM) for a server that requires mutual TLS')
    .option('--key-file <path>', 'key (PEM) of --cert-file')
    .option('--insecure-skip-verify', 'do not verify the server’s TLS certificate (testing only)')
    .option('--password-file <path>', 'basic-auth password, user from PUSHGATEWAY_USERNAME (REMOTE_WRITE_USERNAME with --remote-write), instead of the *_PASSWORD variable')
    .option('--bearer-token-file <path>', 'send "Authorization: Bearer <token>" with the token in this file');
}

/** --header: the commands that push take it, for either sink. */
export interface HeaderFlags {
  header?: Record<string, string>;
}

export function addHeaderOption(command: Command): Command {
  return command.option('--header <Name: value>', 'extra request header; repeatable', collectHeader);
}

/** The --header values, each long enough to be a secret added to `context.secrets`. */
export function headerOptions(flags: HeaderFlags, context: RunContext): Record<string, string> | undefined {
  headerSecrets(flags.header, context);
  return flags.header;
}

/**
 * The client flags as either sink takes them, with the credentials of `sink` (each sink has its own variables:
 * a gateway's credentials, the template's Secret, never go to a receiver); every secret found is added to `context.secrets`.
 */
export async function clientOptions(flags: ClientFlags, context: RunContext, sink: SinkName) {
  const { io, secrets } = context;
  const variables = sink === 'pushgateway' ? CREDENTIAL_VARIABLES.pushgateway : CREDENTIAL_VARIABLES.remoteWrite;
  const credentials = await resolveCredentials({
    username: io.env[variables.username] || undefined,
    password: io.env[variables.password] || undefined,
    passwordFile: flags.passwordFile,
    bearerTokenFile: flags.bearerTokenFile,
    variables,
  });
  for (const secret of credentials ? credentialSecrets(credentials) : []) secrets.add(secret);
  warnOfNodeDebug(io.env, context);
  return {
    credentials,
    tls: { caFile: flags.caFile, certFile: flags.certFile, keyFile: flags.keyFile, insecureSkipVerify: flags.insecureSkipVerify },
    retry: { timeoutMs: flags.timeout, retries: flags.retries, deadlineMs: flags.deadline },
    // The run's own environment names the proxy (HTTP_PROXY, NO_PROXY…), not whatever process runs main().
    env: io.env,
    signal: io.signal,
  };
}
