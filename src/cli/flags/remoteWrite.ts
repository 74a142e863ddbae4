import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_MAX_SAMPLES_PER_REQUEST } from '../../sink/remoteWrite/timeseries.js';
import type { RemoteWriteTarget } from '../../sink/remoteWrite/write.js';
import type { RunContext } from '../context.js';
import { addUserinfoSecrets, CREDENTIAL_VARIABLES, warnOfPasswordInFlag } from './secrets.js';
import { collectHeader, positiveCountArgument, timestampArgument } from './values.js';

/** The remote-write sink's flags (push only); --header applies to either sink. */
export interface RemoteWriteFlags {
  remoteWrite?: string;
  tenant?: string;
  timestamp?: number;
  maxSamplesPerRequest?: number;
  header?: Record<string, string>;
}

export function addRemoteWriteOptions(command: Command): Command {
  return command
    .option('--remote-write <url>', 'write by remote write to this receiver (…/api/v1/write, …/api/v1/push) instead of pushing to a Pushgateway')
    .option('--tenant <id>', 'with --remote-write: tenant sent as X-Scope-OrgID (Mimir, Cortex)')
    .option('--timestamp <time>', 'with --remote-write: time of every sample, RFC 3339 or Unix seconds, at most 10 minutes ahead (default: now)', timestampArgument)
    .option(
      '--max-samples-per-request <n>',
      `with --remote-write: samples per request at most (default ${DEFAULT_MAX_SAMPLES_PER_REQUEST}, as Prometheus)`,
      positiveCountArgument,
    )
    .option('--header <Name: value>', 'extra request header; repeatable', collectHeader);
}

/**
 * The remote-write flags as the sink takes them, or undefined for a Pushgateway push; a flag that means
 * nothing without --remote-write is a usage error rather than silently ignored.
 */
export function remoteWriteTarget(flags: RemoteWriteFlags, context: RunContext): RemoteWriteTarget | undefined {
  if (flags.remoteWrite === undefined) {
    const stray = (['tenant', 'timestamp', 'maxSamplesPerRequest'] as const).filter((flag) => flags[flag] !== undefined);
    if (stray.length > 0) throw new UsageError(`${stray.map(flagName).join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --remote-write`);
    return undefined;
  }
  addUserinfoSecrets(flags.remoteWrite, 'remote-write', context);
  warnOfPasswordInFlag(flags.remoteWrite, '--remote-write', CREDENTIAL_VARIABLES.remoteWrite, context);
  return { url: flags.remoteWrite, tenant: flags.tenant, timestampMs: flags.timestamp, maxSamplesPerRequest: flags.maxSamplesPerRequest };
}

const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
