import { Option, type Command } from 'commander';
import { runPipeline } from '../../pipeline.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addGatewayOptions, addInputOptions, addStrictOption, gatewayOptions, inputSpec, type GatewayFlags, type InputFlags } from '../options.js';
import { resolvePushTarget } from '../pushTarget.js';

export interface PushFlags extends GatewayFlags, InputFlags {
  job?: string;
  method: 'put' | 'post';
  dryRun?: boolean;
  verify?: boolean;
  strict?: boolean;
}

/** `[push] <file> <job>`: the default command, Simplepipe's shape. */
export const registerPush: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('push', { isDefault: true })
    .description('validate [file] and any --metric flags and push them as the group of <job> (PUT replaces the group)')
    .argument('[file]', 'metric file: a JSON array of records or {"labels": {...}, "metrics": [...]}, JSON Lines, or KFP metrics; - for stdin; s3://bucket/key')
    .argument('[job]', 'job name: the first part of the grouping key (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument (needed when there is no file)')
    .addOption(new Option('--method <method>', 'put replaces the group; post replaces only same-name metrics').choices(['put', 'post']).default('put'))
    .option('--dry-run', 'print the exposition text on stdout and push nothing')
    .option('--verify', 'read the group back from /api/v1/metrics after the push; exit 75 if the gateway did not keep it');
  addStrictOption(addInputOptions(addGatewayOptions(command))).action((file: string | undefined, job: string | undefined, flags: PushFlags) =>
    onInvoke({ flags, run: (context) => push([file, job], flags, context) }),
  );
};

async function push(args: (string | undefined)[], flags: PushFlags, context: RunContext): Promise<void> {
  const dryRun = flags.dryRun === true;
  const target = resolvePushTarget(args, flags.job, { hasInlineMetrics: (flags.metric ?? []).length > 0, dryRun });
  const gateway = await gatewayOptions(flags, context);
  const result = await runPipeline({
    ...inputSpec(target.input, flags, context, gateway.retry),
    ...gateway,
    job: target.job,
    labels: flags.label,
    method: flags.method === 'post' ? 'POST' : 'PUT',
    dryRun,
    strict: flags.strict,
    verify: flags.verify,
    logger: context.logger,
  });
  if (dryRun) {
    context.io.stdout(result.exposition);
    context.logger.info('dry run: the exposition is on stdout; nothing was pushed', { series: result.series });
  }
}
