import type { Command } from 'commander';
import { deleteHeldGroup } from '../../sink/pushgateway/delete.js';
import { describeGroup } from '../../sink/pushgateway/groups.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addGatewayOptions, gatewayOptions, type GatewayFlags } from '../flags/pushgateway.js';

export interface DeleteFlags extends GatewayFlags {
  missingOk?: boolean;
}

/** `delete <job>`: removes one group from the gateway, saying whether it was there. */
export const registerDelete: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('delete')
    .description('delete the group of <job> (and --grouping labels) from the gateway; exit 66 if the gateway holds no such group')
    .argument('<job>', 'job name of the group')
    .option('--missing-ok', 'a group the gateway does not hold is no error (exit 0)');
  addGatewayOptions(command).action((job: string, flags: DeleteFlags) => onInvoke({ flags, run: (context) => remove(job, flags, context) }));
};

async function remove(job: string, flags: DeleteFlags, context: RunContext): Promise<void> {
  const result = await deleteHeldGroup({ job, ...(await gatewayOptions(flags, context)), missingOk: flags.missingOk, logger: context.logger });
  const group = describeGroup({ job, ...flags.grouping });
  const said = result.existed ? `deleted group ${group}` : `the gateway held no group ${group}: nothing to delete (--missing-ok)`;
  context.logger.info(said, { url: result.url, status: result.status, attempts: result.attempts });
}
