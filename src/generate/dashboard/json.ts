import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The dashboard as JSON text that is the same, byte for byte, every time it is generated: keys sorted
 * at every level, two-space indent, a final newline. Every character outside printable ASCII is
 * written as a \u escape, so the text can go into a YAML block scalar (a ConfigMap) as it is: YAML
 * reads U+0085 and U+2028 as line breaks and refuses most control characters.
 */
export function dashboardJson(dashboard: Dashboard): string {
  const text = JSON.stringify(sortKeys(dashboard), null, 2);
  return `${text.replace(/[^\x20-\x7e\n]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
