import { UsageError } from '../../errors.js';
import type { SinkName } from '../../sink/types.js';

/**
 * The flags only one sink reads, by commander's attribute name, and why the other sink refuses each. A flag
 * the chosen sink would ignore is a usage error (64), never silently dropped. A command lists here the
 * sink-bound flags it declares itself (watch's --delete-on-exit).
 */
const PUSHGATEWAY_ONLY: Record<string, string> = {
  gateway: 'no Pushgateway is contacted',
  method: 'no Pushgateway is contacted',
  verify: 'no Pushgateway is contacted',
  ttl: 'no Pushgateway is contacted',
  tenantLabel: 'no Pushgateway is contacted',
  maxLabelsPerSeries: 'no Pushgateway is contacted',
  maxLabelValueBytes: 'no Pushgateway is contacted',
  maxSeriesBytes: 'no Pushgateway is contacted',
  maxSeries: 'no Pushgateway is contacted',
  deleteOnExit: 'it deletes a Pushgateway group, and written samples stay',
};
const REMOTE_WRITE_ONLY = ['tenant', 'timestamp', 'maxSamplesPerRequest'];

/**
 * The sink a push goes to: remote write when --remote-write is given, else the Pushgateway. The one place
 * where each sink refuses the other's flags, among those `given` on the command line (a default is no choice).
 */
export function chooseSink(flags: { remoteWrite?: string }, given: ReadonlySet<string>): SinkName {
  if (flags.remoteWrite === undefined) {
    const stray = REMOTE_WRITE_ONLY.filter((name) => given.has(name));
    if (stray.length > 0) throw new UsageError(`${stray.map(flagName).join(', ')} ${stray.length === 1 ? 'needs' : 'need'} --remote-write`);
    return 'pushgateway';
  }
  const stray = Object.keys(PUSHGATEWAY_ONLY).filter((name) => given.has(name));
  if (stray.length > 0) {
    // One reason per message: the flags that share the first one's.
    const reason = PUSHGATEWAY_ONLY[stray[0]!];
    const flags = stray.filter((name) => PUSHGATEWAY_ONLY[name] === reason).map(flagName);
    throw new UsageError(`${flags.join(', ')} cannot be combined with --remote-write: ${reason}`);
  }
  return 'remoteWrite';
}

/** The flag of a commander attribute name: maxSeries → --max-series. */
export const flagName = (name: string): string => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
