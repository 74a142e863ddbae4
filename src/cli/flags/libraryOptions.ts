import { OptionError, UsageError } from '../../errors.js';

/**
 * The flag (or argument) that sets each library option an OptionError may name. Options not listed are
 * named as the library names them (`input`, the <file> argument, reads the same either way).
 */
const FLAG_OF: Readonly<Record<string, string>> = {
  metrics: '--metric',
  format: '--format',
  namePrefix: '--name-prefix',
  namespace: '--namespace',
  runLabels: '--run-label',
  path: '<file>',
};

/** A library's OptionError as the command line caused it: a usage error (64) naming the flags. */
export function usageErrorOf(error: OptionError): UsageError {
  return new UsageError(`${error.options.map((option) => FLAG_OF[option] ?? option).join(' and ')} ${error.problem}`);
}
