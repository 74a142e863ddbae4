import type { Command } from 'commander';
import { readMemoryBudget } from '../../memory.js';
import type { PipelineOptions } from '../../pipeline.js';
import type { RunContext } from '../context.js';
import { addHeaderOption, clientOptions, headerOptions, type HeaderFlags } from './client.js';
import { addStrictOption } from './common.js';
import { addInputOptions, inputSpec, type InputFlags } from './input.js';
import { flagOf } from './libraryOptions.js';
import {
  addGatewayOptions,
  addLimitOptions,
  addPushgatewayPushOptions,
  addTenantLabelOption,
  gatewayAddress,
  pushLimits,
  tenantLabelOf,
  type GatewayFlags,
  type LimitFlags,
  type PushgatewayPushFlags,
} from './pushgateway.js';
import { addRemoteWriteOptions, remoteWriteTarget, type RemoteWriteFlags } from './remoteWrite.js';
import { chooseSink } from './sink.js';

/** The flags of a command that pushes a file: `push`, and `watch`, which pushes it again each time it changes. */
export interface PushFlags extends GatewayFlags, PushgatewayPushFlags, InputFlags, RemoteWriteFlags, HeaderFlags, LimitFlags {
  job?: string;
  strict?: boolean;
  tenantLabel?: string;
}

/**
 * Every flag of a push besides the command's own: input, validation, either sink and the client they share.
 * `timestamp: false` leaves out --timestamp, for a command that writes each push at its own time.
 */
export function addPushOptions(command: Command, remoteWrite: { timestamp?: boolean } = {}): Command {
  addPushgatewayPushOptions(command);
  return addLimitOptions(addTenantLabelOption(addHeaderOption(addRemoteWriteOptions(addStrictOption(addInputOptions(addGatewayOptions(command))), remoteWrite))));
}

/** The flags given on the command line, as opposed to defaults: --method has one, yet naming it with --remote-write is a mistake. */
export function givenFlags(command: Command): Set<string> {
  return new Set(command.options.map((option) => option.attributeName()).filter((name) => command.getOptionValueSource(name) === 'cli'));
}

/**
 * The push flags as runPipeline takes them, for `input` as `job`. The sink is chosen, and the other sink's
 * flags refused, in flags/sink.ts; every secret found is added to `context.secrets`.
 */
export async function pushPipelineOptions(
  target: { input?: string; job?: string },
  flags: PushFlags,
  given: ReadonlySet<string>,
  context: RunContext,
): Promise<PipelineOptions> {
  const sink = chooseSink(flags, given);
  // Where the run sends, checked before the credentials are read; with remote write no gateway address is read at all.
  const destination = sink === 'remoteWrite' ? { remoteWrite: remoteWriteTarget({ ...flags, remoteWrite: flags.remoteWrite! }, context) } : { gateway: gatewayAddress(flags, context) };
  const headers = headerOptions(flags, context);
  const client = await clientOptions(flags, context, sink);
  const common = {
    ...inputSpec(target.input, flags, context, client.retry),
    ...client,
    grouping: flags.grouping,
    job: target.job,
    labels: flags.label,
    strict: flags.strict,
    memory: readMemoryBudget(),
    headers,
    logger: context.logger,
    nameOption: flagOf,
  };
  if ('remoteWrite' in destination) return { ...common, ...destination };
  return {
    ...common,
    ...destination,
    method: flags.method === 'post' ? 'POST' : 'PUT',
    tenantLabel: tenantLabelOf(flags.tenantLabel, context.io.env),
    limits: pushLimits(flags),
    verify: flags.verify,
    ttl: flags.ttl,
  };
}
