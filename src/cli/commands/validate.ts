import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { flagOf } from '../flags/libraryOptions.js';
import { checkExpectations, gateBaselines } from '../../gate/index.js';
import { withDeadlineFromNow, DEFAULT_RETRY_POLICY } from '../../net/retry.js';
import { validateInput } from '../../check.js';
import type { Labels } from '../../records.js';
import { loadInput } from '../../source/index.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addCommonOptions, addStrictOption, type CommonFlags } from '../flags/common.js';
import { addGateOptions, gateOptions, type GateFlags } from '../flags/gate.js';
import { addInputOptions, inputSpec, type InputFlags } from '../flags/input.js';
import { requireInput } from '../flags/pushTarget.js';
import { addLimitOptions, addTenantLabelOption, pushLimits, tenantLabelOf, type LimitFlags } from '../flags/pushgateway.js';
import { collectKeyValue } from '../flags/values.js';

export interface ValidateFlags extends CommonFlags, InputFlags, GateFlags, LimitFlags {
  job?: string;
  grouping?: Labels;
  strict?: boolean;
  tenantLabel?: string;
}

/** `validate [file]`: every problem listed, nothing sent; with --gate, the values checked against their `expect` too. */
export const registerValidate: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('validate')
    .description('check [file] and any --metric flags and list every problem; push nothing')
    .argument('[file]', 'metric file, - for stdin, or s3://bucket/key')
    .option('--job <name>', 'job the file will be pushed as, to check labels against the grouping key')
    .option('--grouping <key=value>', 'grouping label the file will be pushed with; repeatable', collectKeyValue);
  addLimitOptions(addTenantLabelOption(addGateOptions(addStrictOption(addInputOptions(addCommonOptions(command)))))).action((input: string | undefined, flags: ValidateFlags) =>
    onInvoke({ flags, run: (context) => validate(input, flags, context) }),
  );
};

async function validate(file: string | undefined, flags: ValidateFlags, context: RunContext): Promise<void> {
  const gate = gateOptions(flags);
  if (gate?.baselineFrom !== undefined && flags.job === undefined) throw new UsageError('--baseline-from needs --job: the baseline is the history of the job\'s series');
  requireInput(file, (flags.metric ?? []).length > 0);
  const input = await loadInput(inputSpec(file, flags, context));
  const tenantLabel = tenantLabelOf(flags.tenantLabel, context.io.env);
  const checks = { job: flags.job, grouping: flags.grouping, labels: flags.label, strict: flags.strict, tenantLabel, limits: pushLimits(flags), nameOption: flagOf };
  const records = validateInput(input, checks, context.logger);
  context.logger.info(`${input.origin} is valid`, { format: input.format, series: records.length });
  if (gate === undefined) return;
  const deadlineAt = withDeadlineFromNow(DEFAULT_RETRY_POLICY).deadlineAt!;
  const baselines = await gateBaselines(records, gate, { job: flags.job, grouping: flags.grouping }, deadlineAt, context.logger);
  checkExpectations(records, baselines);
  context.logger.info(`${input.origin}: every value meets its "expect"`);
}
