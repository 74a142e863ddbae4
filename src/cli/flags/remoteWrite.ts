import type { Command } from 'commander';
import { DEFAULT_MAX_SAMPLES_PER_REQUEST } from '../../sink/remoteWrite/timeseries.js';
import type { RemoteWriteTarget } from '../../sink/remoteWrite/write.js';
import type { RunContext } from '../context.js';
import { addUserinfoSecrets, CREDENTIAL_VARIABLES, warnOfPasswordInFlag } from './secrets.js';
import { positiveCountArgument, timestampArgument } from './values.js';

/** The remote-write sink's flags; --remote-write chooses it (flags/sink.ts). */
export interface RemoteWriteFlags {
  remoteWrite?: string;
  tenant?: string;
  timestamp?: number;
  maxSamplesPerRequest?: number;
}

/**
 * The remote-write flags. A command that writes each push at its own time (watch) declares no --timestamp,
 * so that its --help offers no flag it would refuse.
 */
export function addRemoteWriteOptions(command: Command, { timestamp = true }: { timestamp?: boolean } = {}): Command {
  command
    .option('--remote-write <url>', 'write by remote write to this receiver (…/api/v1/write, …/api/v1/push) instead of pushing to a Pushgateway')
    .option('--tenant <id>', 'with --remote-write: tenant sent as X-Scope-OrgID (Mimir, Cortex)');
  if (timestamp) {
    command.option('--timestamp <time>', 'with --remote-write: time of every sample, RFC 3339 or Unix seconds, at most 10 minutes ahead (default: now)', timestampArgument);
  }
  return command.option(
    '--max-samples-per-request <n>',
    `with --remote-write: samples per request at most (default ${DEFAULT_MAX_SAMPLES_PER_REQUEST}, as Prometheus)`,
    positiveCountArgument,
  );
}

/** The remote-write flags as the sink takes them, for a run whose sink is remote write; the URL's password is added to `context.secrets`. */
export function remoteWriteTarget(flags: RemoteWriteFlags & { remoteWrite: string }, context: RunContext): RemoteWriteTarget {
  addUserinfoSecrets(flags.remoteWrite, 'remote-write', context);
  warnOfPasswordInFlag(flags.remoteWrite, '--remote-write', CREDENTIAL_VARIABLES.remoteWrite, context);
  return { url: flags.remoteWrite, tenant: flags.tenant, timestampMs: flags.timestamp, maxSamplesPerRequest: flags.maxSamplesPerRequest };
}
