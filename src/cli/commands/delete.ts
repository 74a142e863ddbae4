import type { Command } from 'commander';
import { deleteGroup } from '../../sink/pushgateway/push.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addGatewayOptions, gatewayOptions, type GatewayFlags } from '../options.js';

/** `delete <job>`: removes one group from the gateway. */
export const registerDelete: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('delete')
    .description('delete the group of <job> (and --grouping labels) from the gateway')
    .argument('<job>', 'job name of the group');
  addGatewayOptions(command).action((job: string, flags: GatewayFlags) => onInvoke({ flags, run: (context) => remove(job, flags, context) }));
};

async function remove(job: string, flags: GatewayFlags, context: RunContext): Promise<void> {
  const result = await deleteGroup({ job, ...(await gatewayOptions(flags, context)), logger: context.logger });
  context.logger.info(`deleted group ${result.url}`, { status: result.status, attempts: result.attempts });
}
