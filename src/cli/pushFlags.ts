import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { readMemoryBudget } from '../memory.js';
import type { PipelineOptions } from '../pipeline.js';
import type { RunContext } from './context.js';
import {
  addGatewayOptions,
  addInputOptions,
  addLimitOptions,
  addRemoteWriteOptions,
  addStrictOption,
  addTenantLabelOption,
  gatewayOptions,
  headerSecrets,
  inputSpec,
  pushLimits,
  remoteWriteTarget,
  tenantLabelOf,
  type GatewayFlags,
  type InputFlags,
  type LimitFlags,
  type RemoteWriteFlags,
} from './options.js';
import { ttlArgument } from './parseValues.js';

/** The flags of a command that pushes a file: `push`, and `watch`, which pushes it again each time it changes. */
export interface PushFlags extends GatewayFlags, InputFlags, RemoteWriteFlags, LimitFlags {
  job?: string;
  method: 'put' | 'post';
  verify?: boolean;
  strict?: boolean;
  ttl?: string;
  tenantLabel?: string;
}

/** Every flag of a push besides the command's own: input, validation, either sink, --method, --verify and --ttl. */
export function addPushOptions(command: Command): Command {
  command
    .addOption(new Option('--method <method>', 'put replaces the group; post replaces only same-name metrics').choices(['put', 'post']).default('put'))
    .option('--verify', 'read the group back from /api/v1/metrics after the push; exit 75 if the gateway did not keep it')
    .option('--ttl <duration>', 'how long the group stays meaningful after this push (7d, 12h), stored in it for `prune`; over the file’s "expect": {"ttl": ...}', ttlArgument);
  return addLimitOptions(addTenantLabelOption(addRemoteWriteOptions(addStrictOption(addInputOptions(addGatewayOptions(command))))));
}

/** The flags given on the command line, as opposed to defaults: --method has one, yet naming it with --remote-write is a mistake. */
export function givenFlags(command: Command): Set<string> {
  return new Set(command.options.map((option) => option.attributeName()).filter((name) => command.getOptionValueSource(name) === 'cli'));
}

/**
 * The push flags as runPipeline takes them, for `input` as `job`. A Pushgateway flag with --remote-write is
 * a usage error (no Pushgateway is contacted), and every secret found is added to `context.secrets`.
 */
export async function pushPipelineOptions(
  target: { input?: string; job?: string },
  flags: PushFlags,
  given: ReadonlySet<string>,
  context: RunContext,
): Promise<PipelineOptions> {
  const remoteWrite = remoteWriteTarget(flags, context);
  if (remoteWrite) {
    const pushgatewayOnly = ['gateway', 'method', 'verify', 'ttl', 'tenantLabel'].filter((name) => given.has(name));
    if (pushgatewayOnly.length > 0) {
      throw new UsageError(`${pushgatewayOnly.map((name) => `--${name}`).join(', ')} cannot be combined with --remote-write: no Pushgateway is contacted`);
    }
  }
  headerSecrets(flags.header, context);
  const { gateway, ...connection } = await gatewayOptions(flags, context, remoteWrite ? 'remote-write' : 'pushgateway');
  const common = {
    ...inputSpec(target.input, flags, context, connection.retry),
    ...connection,
    job: target.job,
    labels: flags.label,
    strict: flags.strict,
    memory: readMemoryBudget(),
    headers: flags.header,
    logger: context.logger,
  };
  if (remoteWrite) return { ...common, remoteWrite };
  return {
    ...common,
    gateway,
    method: flags.method === 'post' ? 'POST' : 'PUT',
    tenantLabel: tenantLabelOf(flags.tenantLabel, context.io.env),
    limits: pushLimits(flags),
    verify: flags.verify,
    ttl: flags.ttl,
  };
}
