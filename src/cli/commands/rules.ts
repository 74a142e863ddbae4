import { Option, type Command } from 'commander';
import { alertRules } from '../../generate/rules.js';
import { gatewayRules } from '../../generate/gatewayRules.js';
import { RULE_FORMATS, renderGatewayRuleFile, renderRuleFile, type RuleFormat } from '../../generate/ruleFile.js';
import { UsageError } from '../../errors.js';
import type { RuleTarget } from '../../generate/selector.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addCommonOptions } from '../flags/common.js';
import { addInputOptions } from '../flags/input.js';
import { collectKeyValue, collectValue } from '../flags/values.js';
import { addEveryOption, generatorTarget, readForGenerator, type GeneratorFlags } from '../generatorInput.js';

export interface RulesFlags extends GeneratorFlags {
  runLabel?: string[];
  namespace?: string;
  format: RuleFormat;
}

/**
 * `rules <file> <job>`: the alerting rules the file's `expect` asks for, on stdout. Nothing is pushed.
 * `rules --namespace <name>` alone: the rules that watch that namespace's gateway, for every job.
 */
export const registerRules: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('rules')
    .description('generate Prometheus alerting rules from the "expect" of [file] for the group <job> would push; print them, push nothing. With --namespace and no file: the rules that watch the namespace’s gateway')
    .argument('[file]', 'metric file with "expect" fields, - for stdin, or s3://bucket/key')
    .argument('[job]', 'job the file is pushed as (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument')
    .option('--grouping <key=value>', 'grouping label the file is pushed with; repeatable', collectKeyValue)
    .option('--run-label <name>', 'series label whose value changes from run to run: matched as present, whatever its value; repeatable', collectValue)
    .option('--namespace <name>', 'namespace of the gateway (and of the PrometheusRule): every selector matches namespace="<name>"')
    .addOption(
      new Option('--format <format>', 'prometheusrule: a Prometheus Operator PrometheusRule; prometheus: a file for rule_files')
        .choices(RULE_FORMATS)
        .default('prometheusrule'),
    );
  addInputOptions(addEveryOption(addCommonOptions(command)), '--input-format').action((file: string | undefined, job: string | undefined, flags: RulesFlags) =>
    onInvoke({ flags, run: (context) => rules([file, job], flags, context) }),
  );
};

async function rules(args: (string | undefined)[], flags: RulesFlags, context: RunContext): Promise<void> {
  if (flags.namespace !== undefined && args.every((arg) => arg === undefined) && flags.job === undefined && flags.metric === undefined) {
    namespaceRules(flags, context);
    return;
  }
  const { input, job } = generatorTarget(args, flags);
  const { origin, document } = await readForGenerator(input, job, flags, context);
  const ruleTarget: RuleTarget = { job, grouping: flags.grouping, runLabels: flags.runLabel, namespace: flags.namespace };
  const group = alertRules(document, ruleTarget);
  context.io.stdout(renderRuleFile(group, ruleTarget, flags.format));
  const recorded = group.records?.length ? ` and ${group.records.length} recording rules` : '';
  context.logger.info(`generated ${group.rules.length} alerting rules${recorded} for ${origin}`, { job, format: flags.format });
}

/** The gateway's own rules: no file is read, so the flags that describe one mean nothing here. */
function namespaceRules(flags: RulesFlags, context: RunContext): void {
  const stray = (['grouping', 'runLabel', 'every', 'label', 'inputFormat', 'namePrefix', 's3Endpoint'] as const).filter((flag) => flags[flag] !== undefined);
  if (stray.length > 0) throw new UsageError(`--namespace without a file generates the gateway's own rules, which take no ${stray.map((flag) => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
  const group = gatewayRules(flags.namespace!);
  context.io.stdout(renderGatewayRuleFile(group, flags.namespace!, flags.format));
  context.logger.info(`generated ${group.rules.length} alerting rules for the gateway of namespace ${flags.namespace}`, { format: flags.format });
}
