import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { GateOptions } from '../../gate/index.js';
import { collectValue } from './values.js';

/** The flags of `push` and `validate` that make the values' `expect` decide the exit code. */
export interface GateFlags {
  gate?: boolean;
  baselineFrom?: string;
  runLabel?: string[];
}

export function addGateOptions(command: Command): Command {
  return command
    .option('--gate', 'exit 79 when a value is outside its record\'s "expect" (after the push: the metrics are pushed first); Argo does not retry it')
    .option('--baseline-from <url>', 'with --gate: Prometheus base URL to read each "expect.history" baseline from, before the push; without it only min and max are checked')
    .option('--run-label <name>', 'with --baseline-from: a series label whose value changes from run to run, spanned by the history; repeatable', collectValue);
}

/** The gate the flags ask for; --baseline-from and --run-label mean nothing without --gate. */
export function gateOptions(flags: GateFlags): GateOptions | undefined {
  if (!flags.gate) {
    const orphan = [flags.baselineFrom !== undefined && '--baseline-from', flags.runLabel !== undefined && '--run-label'].filter(Boolean);
    if (orphan.length > 0) throw new UsageError(`${orphan.join(' and ')} need --gate: only the gate reads a baseline`);
    return undefined;
  }
  if (flags.runLabel !== undefined && flags.baselineFrom === undefined) throw new UsageError('--run-label needs --baseline-from: only a baseline spans runs');
  return { baselineFrom: flags.baselineFrom, runLabels: flags.runLabel };
}
